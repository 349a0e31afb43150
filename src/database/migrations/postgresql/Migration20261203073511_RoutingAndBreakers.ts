import { Migration } from '@mikro-orm/migrations';

export class Migration20261203073511_RoutingAndBreakers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "provider_breakers" ("provider" varchar(32) not null, "state" varchar(16) not null default 'closed', "consecutive_failures" int not null default 0, "window_started_at" timestamptz not null, "window_calls" int not null default 0, "window_failures" int not null default 0, "opened_at" timestamptz null, "retry_at" timestamptz null, "probe_until" timestamptz null, "last_failure_code" varchar(64) null, "last_failure_at" timestamptz null, "updated_at" timestamptz not null, constraint "provider_breakers_pkey" primary key ("provider"));`);

    this.addSql(`alter table "sessions" add column "routing" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "provider_breakers" cascade;`);

    this.addSql(`alter table "sessions" drop column "routing";`);
  }

}
