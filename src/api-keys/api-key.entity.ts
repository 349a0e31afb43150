import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../database/ids';

/** An API key is stored only as its SHA-256 hash (the key is 256 random bits: no slow hash needed). */
@Entity({ tableName: 'api_keys' })
export class ApiKey {
  @PrimaryKey({ length: 40 })
  id: string = newId('key');

  @Property({ length: 255 })
  name!: string;

  /** The first characters of the key, to recognise it in lists. */
  @Property({ length: 16 })
  prefix!: string;

  /** Hidden: never serialized (API answers, the admin panel). */
  @Property({ length: 64, hidden: true })
  @Unique()
  hash!: string;

  @Property()
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;
}
