import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../database/ids';

@Entity({ tableName: 'webhook_endpoints' })
export class WebhookEndpoint {
  @PrimaryKey({ length: 40 })
  id: string = newId('we');

  @Property({ type: 'text' })
  url!: string;

  /** Event types sent to this endpoint; empty means all. */
  @Property({ type: 'json' })
  enabledEvents: string[] = [];

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** Signing secret: shown once at creation, never returned again. */
  @Property({ length: 128, hidden: true })
  secret!: string;

  @Property()
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  deletedAt: Date | null = null;
}
