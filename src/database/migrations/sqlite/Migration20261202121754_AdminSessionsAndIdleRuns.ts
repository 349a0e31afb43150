import { Migration } from '@mikro-orm/migrations';

export class Migration20261202121754_AdminSessionsAndIdleRuns extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`admin_sessions\` (\`id\` text not null, \`data\` text not null, \`expires_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`admin_sessions_expires_at_index\` on \`admin_sessions\` (\`expires_at\`);`);

    this.addSql(`create table \`admin_login_failures\` (\`id\` integer not null primary key autoincrement, \`email\` text not null, \`client_address\` text not null, \`failed_at\` datetime not null);`);
    this.addSql(`create index \`admin_login_failures_client_address_failed_at_index\` on \`admin_login_failures\` (\`client_address\`, \`failed_at\`);`);
    this.addSql(`create index \`admin_login_failures_email_failed_at_index\` on \`admin_login_failures\` (\`email\`, \`failed_at\`);`);

    this.addSql(`alter table \`job_states\` add column \`idle_runs\` integer not null default 0;`);
    this.addSql(`alter table \`job_states\` add column \`last_idle_at\` datetime null;`);
  }

}
