import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../database/ids';

@Entity({ tableName: 'customers' })
export class Customer {
  @PrimaryKey({ length: 40 })
  id: string = newId('cus');

  /** The merchant's own id of this customer; unique when present. */
  @Property({ type: 'string', length: 255, nullable: true })
  @Unique()
  reference: string | null = null;

  @Property({ type: 'string', length: 320, nullable: true, index: true })
  email: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  username: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  fullName: string | null = null;

  /** Ids providers gave this customer, e.g. `{ komoju: "…" }`. */
  @Property({ type: 'json' })
  providerCustomers: Record<string, string> = {};

  @Property({ type: 'json' })
  metadata: Record<string, string> = {};

  @Property()
  createdAt: Date = new Date();

  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
