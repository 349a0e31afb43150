import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'delivery_attempts' })
export class DeliveryAttempt {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ length: 40, index: true })
  deliveryId!: string;

  @Property({ length: 40, index: true })
  eventId!: string;

  @Property()
  attempt!: number;

  @Property({ type: 'integer', nullable: true })
  statusCode: number | null = null;

  @Property()
  durationMs!: number;

  /** First 1 kB of the answer. */
  @Property({ type: 'text', nullable: true })
  responseSnippet: string | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property()
  createdAt: Date = new Date();
}
