import { Migration } from '@mikro-orm/migrations';

export class Migration20261203073509_RoutingAndBreakers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`provider_breakers\` (\`provider\` text not null, \`state\` text not null default 'closed', \`consecutive_failures\` integer not null default 0, \`window_started_at\` datetime not null, \`window_calls\` integer not null default 0, \`window_failures\` integer not null default 0, \`opened_at\` datetime null, \`retry_at\` datetime null, \`probe_until\` datetime null, \`last_failure_code\` text null, \`last_failure_at\` datetime null, \`updated_at\` datetime not null, primary key (\`provider\`));`);

    this.addSql(`alter table \`sessions\` add column \`routing\` json null;`);
  }

}
