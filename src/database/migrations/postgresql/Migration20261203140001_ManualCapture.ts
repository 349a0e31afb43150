import { Migration } from '@mikro-orm/migrations';

export class Migration20261203140001_ManualCapture extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "sessions" add column "capture_method" varchar(16) not null default 'automatic', add column "authorized_at" timestamptz null, add column "capture_requested_at" timestamptz null, add column "capture_before" timestamptz null, add column "captured_amount" bigint null;`);
    this.addSql(`update "sessions" set "captured_amount" = "amount" where "status" = 'succeeded';`);
    this.addSql(`create index "sessions_status_capture_before_index" on "sessions" ("status", "capture_before");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sessions_status_capture_before_index";`);
    this.addSql(`alter table "sessions" drop column "capture_method", drop column "authorized_at", drop column "capture_requested_at", drop column "capture_before", drop column "captured_amount";`);
  }

}
