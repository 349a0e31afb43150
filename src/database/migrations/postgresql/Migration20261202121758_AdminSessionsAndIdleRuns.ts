import { Migration } from '@mikro-orm/migrations';

export class Migration20261202121758_AdminSessionsAndIdleRuns extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "admin_sessions" ("id" varchar(64) not null, "data" text not null, "expires_at" timestamptz not null, "updated_at" timestamptz not null, constraint "admin_sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "admin_sessions_expires_at_index" on "admin_sessions" ("expires_at");`);

    this.addSql(`create table "admin_login_failures" ("id" serial primary key, "email" varchar(320) not null, "client_address" varchar(64) not null, "failed_at" timestamptz not null);`);
    this.addSql(`create index "admin_login_failures_client_address_failed_at_index" on "admin_login_failures" ("client_address", "failed_at");`);
    this.addSql(`create index "admin_login_failures_email_failed_at_index" on "admin_login_failures" ("email", "failed_at");`);

    this.addSql(`alter table "job_states" add column "idle_runs" int not null default 0, add column "last_idle_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "admin_sessions" cascade;`);

    this.addSql(`drop table if exists "admin_login_failures" cascade;`);

    this.addSql(`alter table "job_states" drop column "idle_runs", drop column "last_idle_at";`);
  }

}
