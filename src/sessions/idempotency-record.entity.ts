import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** The first complete answer to a POST with an Idempotency-Key, kept 24 h for replay. */
@Entity({ tableName: 'idempotency_records' })
@Unique({ properties: ['apiKeyId', 'key'] })
export class IdempotencyRecord {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ length: 40 })
  apiKeyId!: string;

  @Property({ length: 255 })
  key!: string;

  /** SHA-256 of method, path and the raw request body. */
  @Property({ length: 64 })
  fingerprint!: string;

  @Property({ length: 16 })
  state: 'in_flight' | 'completed' = 'in_flight';

  @Property({ type: 'integer', nullable: true })
  responseStatus: number | null = null;

  @Property({ type: 'text', nullable: true })
  responseBody: string | null = null;

  /**
   * The session a POST /v1/sessions stored under this key before calling the provider: a retry
   * after its owner died resumes that session instead of creating a second one.
   */
  @Property({ type: 'string', length: 40, nullable: true })
  sessionId: string | null = null;

  /** An in-flight record whose owner died is taken over after this. */
  @Property()
  lockedUntil!: Date;

  @Property({ index: true })
  createdAt: Date = new Date();
}
