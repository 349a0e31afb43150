import { Migration } from '@mikro-orm/migrations';

export class Migration20261203134625_Refunds extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`refunds\` (\`id\` text not null, \`session_id\` text not null, \`provider\` text not null, \`provider_refund_id\` text null, \`amount\` bigint not null, \`currency\` text not null, \`status\` text not null default 'pending', \`provider_status\` text null, \`reason\` text null, \`metadata\` json not null, \`failure\` json null, \`chargeback\` integer not null default false, \`initiated_by\` text not null default 'merchant', \`created_at\` datetime not null, \`updated_at\` datetime not null, \`settled_at\` datetime null, \`last_checked_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`refunds_session_id_index\` on \`refunds\` (\`session_id\`);`);
    this.addSql(`create index \`refunds_created_at_index\` on \`refunds\` (\`created_at\`);`);
    this.addSql(`create index \`refunds_status_last_checked_at_index\` on \`refunds\` (\`status\`, \`last_checked_at\`);`);
    this.addSql(`create unique index \`refunds_provider_provider_refund_id_unique\` on \`refunds\` (\`provider\`, \`provider_refund_id\`);`);
  }

}
