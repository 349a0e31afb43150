import { Migration } from '@mikro-orm/migrations';

export class Migration20261202124000_IdempotencySession extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`idempotency_records\` add column \`session_id\` text null;`);
  }

}
