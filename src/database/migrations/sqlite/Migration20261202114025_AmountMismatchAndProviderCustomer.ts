import { Migration } from '@mikro-orm/migrations';

export class Migration20261202114025_AmountMismatchAndProviderCustomer extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`sessions\` add column \`provider_customer_id\` text null;`);
    this.addSql(`alter table \`sessions\` add column \`amount_mismatch\` json null;`);
    this.addSql(`create index \`sessions_provider_provider_customer_id_index\` on \`sessions\` (\`provider\`, \`provider_customer_id\`);`);
  }

}
