import { Migration } from '@mikro-orm/migrations';

export class Migration20261202114027_AmountMismatchAndProviderCustomer extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "sessions" add column "provider_customer_id" varchar(255) null, add column "amount_mismatch" jsonb null;`);
    this.addSql(`create index "sessions_provider_provider_customer_id_index" on "sessions" ("provider", "provider_customer_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sessions_provider_provider_customer_id_index";`);
    this.addSql(`alter table "sessions" drop column "provider_customer_id", drop column "amount_mismatch";`);
  }

}
