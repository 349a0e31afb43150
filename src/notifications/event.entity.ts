import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../database/ids';

/** An outbound notification, written in the same transaction as the change it reports. */
@Entity({ tableName: 'events' })
@Index({ properties: ['sessionId'] })
export class Event {
  @PrimaryKey({ length: 40 })
  id: string = newId('evt');

  @Property({ length: 64, index: true })
  type!: string;

  @Property({ type: 'string', length: 40, nullable: true })
  sessionId: string | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  customerId: string | null = null;

  /** The exact JSON delivered (the event envelope), so every attempt sends the same bytes. */
  @Property({ type: 'text' })
  payload!: string;

  @Property()
  createdAt: Date = new Date();
}
