import { Migration } from '@mikro-orm/migrations';

/**
 * A product's provider catalogue ids become one JSON map (provider name → id), as customers
 * keep theirs: `spayon_product_id` moves into `provider_products` as its `spayon` entry.
 */
export class Migration20261203134649_ProviderProducts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "products" add column "provider_products" jsonb not null default '{}';`);
    this.addSql(`update "products" set "provider_products" = jsonb_build_object('spayon', "spayon_product_id") where "spayon_product_id" is not null;`);
    this.addSql(`alter table "products" alter column "provider_products" drop default;`);
    this.addSql(`alter table "products" drop column "spayon_product_id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "products" add column "spayon_product_id" int4 null;`);
    this.addSql(`update "products" set "spayon_product_id" = ("provider_products"->>'spayon')::int4 where jsonb_typeof("provider_products"->'spayon') = 'number';`);
    this.addSql(`alter table "products" drop column "provider_products";`);
  }

}
