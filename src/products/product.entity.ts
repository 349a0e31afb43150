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

  /** The product's id in the Spayon vendor panel, for Spayon's product_id option. */
  @Property({ type: 'integer', nullable: true })
  spayonProductId: number | null = null;

  @Property({ type: 'json' })
  metadata: Record<string, string> = {};

  @Property()
  createdAt: Date = new Date();

  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
