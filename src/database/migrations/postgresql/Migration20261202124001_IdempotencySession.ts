import { Migration } from '@mikro-orm/migrations';

export class Migration20261202124001_IdempotencySession extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "idempotency_records" add column "session_id" varchar(40) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "idempotency_records" drop column "session_id";`);
  }

}
