import { Migration } from '@mikro-orm/migrations';

/**
 * A product's provider catalogue ids become one JSON map (provider name → id), as customers
 * keep theirs: `spayon_product_id` moves into `provider_products` as its `spayon` entry.
 * SQLite adds a NOT NULL column only with a default, which the entity does not have: the table
 * is rebuilt, keeping every row, its id and the id sequence (so a deleted product's id is never
 * handed out again).
 */
export class Migration20261203134646_ProviderProducts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`products__new\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`description\` text null, \`amount\` bigint not null, \`currency\` text not null, \`active\` integer not null default true, \`provider_products\` json not null, \`metadata\` json not null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(
      `insert into \`products__new\` (\`id\`, \`name\`, \`description\`, \`amount\`, \`currency\`, \`active\`, \`provider_products\`, \`metadata\`, \`created_at\`, \`updated_at\`) ` +
      `select \`id\`, \`name\`, \`description\`, \`amount\`, \`currency\`, \`active\`, ` +
      `case when \`spayon_product_id\` is null then '{}' else json_object('spayon', \`spayon_product_id\`) end, ` +
      `\`metadata\`, \`created_at\`, \`updated_at\` from \`products\`;`,
    );
    this.addSql(`delete from \`sqlite_sequence\` where \`name\` = 'products__new';`);
    this.addSql(`insert into \`sqlite_sequence\` (\`name\`, \`seq\`) select 'products__new', \`seq\` from \`sqlite_sequence\` where \`name\` = 'products';`);
    this.addSql(`drop table \`products\`;`);
    this.addSql(`alter table \`products__new\` rename to \`products\`;`);
    this.addSql(`create index \`products_active_currency_index\` on \`products\` (\`active\`, \`currency\`);`);
  }

}
