import { Migration } from '@mikro-orm/migrations';

export class Migration20261123084752_SessionClaims extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`sessions\` add column \`claimed_until\` datetime null;`);
    this.addSql(`alter table \`sessions\` add column \`claimed_by\` text null;`);
  }

}
