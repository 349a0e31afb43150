import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** Every provider callback as it came, for audit and replay. Unique per provider notification. */
@Entity({ tableName: 'inbound_webhooks' })
@Unique({ properties: ['provider', 'dedupeKey'] })
export class InboundWebhook {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ length: 32 })
  provider!: string;

  /** null for callbacks that were rejected before they could be identified. */
  @Property({ type: 'string', length: 255, nullable: true })
  dedupeKey: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  eventType: string | null = null;

  @Property({ type: 'string', length: 40, nullable: true, index: true })
  sessionId: string | null = null;

  /** applied | unchanged | unknown_session | ignored | rejected */
  @Property({ length: 32 })
  outcome!: string;

  @Property({ type: 'json' })
  headers: Record<string, string> = {};

  @Property({ type: 'text' })
  rawBody!: string;

  @Property({ index: true })
  receivedAt: Date = new Date();
}
