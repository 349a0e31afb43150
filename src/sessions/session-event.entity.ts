import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { SessionStatus, TransitionSource } from '@paymux/payments';

/**
 * One row per real status change of a session. A status is entered at most once in a session's
 * life (the transition table has no cycles), so the unique index makes a duplicate change
 * impossible even if two writers raced past every other check.
 */
@Entity({ tableName: 'session_events' })
@Unique({ properties: ['sessionId', 'toStatus'] })
@Index({ properties: ['sessionId', 'createdAt'] })
export class SessionEvent {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ length: 40 })
  sessionId!: string;

  @Property({ type: 'string', length: 16, nullable: true })
  fromStatus: SessionStatus | null = null;

  @Property({ length: 16 })
  toStatus!: SessionStatus;

  @Property({ length: 16 })
  source!: TransitionSource;

  @Property({ default: false })
  late: boolean = false;

  @Property({ type: 'string', length: 64, nullable: true })
  providerStatus: string | null = null;

  /** Why, when it is not obvious (e.g. "expired without provider confirmation"). */
  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  @Property()
  createdAt: Date = new Date();
}
