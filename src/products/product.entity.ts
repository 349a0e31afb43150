import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'products' })
@Index({ properties: ['active', 'currency'] })
export class Product {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ length: 255 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** Minor units of `currency`. */
  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Property({ length: 3 })
  currency!: string;

  @Property({ default: true })
  active: boolean = true;

  /**
   * The product's ids in providers' catalogues, by provider name (as customers keep theirs in
   * `providerCustomers`): e.g. `{ spayon: 17 }`, the product in Spayon's vendor panel.
   */
  @Property({ type: 'json' })
  providerProducts: Record<string, string | number> = {};

  @Property({ type: 'json' })
  metadata: Record<string, string> = {};

  @Property()
  createdAt: Date = new Date();

  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
