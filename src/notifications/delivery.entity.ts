import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../database/ids';

/** One event to one destination (a webhook endpoint or the session's callback_url). */
@Entity({ tableName: 'deliveries' })
@Index({ properties: ['state', 'nextAttemptAt'] })
export class Delivery {
  @PrimaryKey({ length: 40 })
  id: string = newId('dlv');

  @Property({ length: 40, index: true })
  eventId!: string;

  @Property({ type: 'string', length: 40, nullable: true })
  endpointId: string | null = null;

  @Property({ type: 'text' })
  url!: string;

  /** pending | delivered | failed */
  @Property({ length: 16 })
  state: 'pending' | 'delivered' | 'failed' = 'pending';

  @Property({ default: 0 })
  attempts: number = 0;

  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt: Date | null = new Date();

  /** Set while an instance is delivering it; a crashed instance's claim lapses. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt: Date | null = null;

  @Property()
  createdAt: Date = new Date();
}
