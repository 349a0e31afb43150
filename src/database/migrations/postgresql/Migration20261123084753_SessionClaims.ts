import { Migration } from '@mikro-orm/migrations';

export class Migration20261123084753_SessionClaims extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "sessions" add column "claimed_until" timestamptz null, add column "claimed_by" varchar(128) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sessions" drop column "claimed_until", drop column "claimed_by";`);
  }

}
