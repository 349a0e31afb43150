import { Migration } from '@mikro-orm/migrations';

export class Migration20261203134627_Refunds extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "refunds" ("id" varchar(40) not null, "session_id" varchar(40) not null, "provider" varchar(32) not null, "provider_refund_id" varchar(255) null, "amount" bigint not null, "currency" varchar(3) not null, "status" varchar(16) not null default 'pending', "provider_status" varchar(64) null, "reason" text null, "metadata" jsonb not null, "failure" jsonb null, "chargeback" boolean not null default false, "initiated_by" varchar(16) not null default 'merchant', "created_at" timestamptz not null, "updated_at" timestamptz not null, "settled_at" timestamptz null, "last_checked_at" timestamptz null, constraint "refunds_pkey" primary key ("id"));`);
    this.addSql(`create index "refunds_session_id_index" on "refunds" ("session_id");`);
    this.addSql(`create index "refunds_created_at_index" on "refunds" ("created_at");`);
    this.addSql(`create index "refunds_status_last_checked_at_index" on "refunds" ("status", "last_checked_at");`);
    this.addSql(`alter table "refunds" add constraint "refunds_provider_provider_refund_id_unique" unique ("provider", "provider_refund_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "refunds" cascade;`);
  }

}
