import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * One provider's circuit breaker, shared by every instance: all of them read and move the same
 * row (atomic increments and conditional updates), so they skip and probe a provider together.
 */
@Entity({ tableName: 'provider_breakers' })
export class ProviderBreaker {
  @PrimaryKey({ length: 32 })
  provider!: string;

  @Property({ length: 16 })
  state: BreakerState = 'closed';

  /** Retryable failures since the last success. */
  @Property({ default: 0 })
  consecutiveFailures: number = 0;

  /** The error-rate window: calls and failures since windowStartedAt. */
  @Property()
  windowStartedAt: Date = new Date();

  @Property({ default: 0 })
  windowCalls: number = 0;

  @Property({ default: 0 })
  windowFailures: number = 0;

  @Property({ type: 'datetime', nullable: true })
  openedAt: Date | null = null;

  /** While open: when one probe may try the provider again (half-open). */
  @Property({ type: 'datetime', nullable: true })
  retryAt: Date | null = null;

  /** While half-open: the probe's lease; past means another request may probe. */
  @Property({ type: 'datetime', nullable: true })
  probeUntil: Date | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  lastFailureCode: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  lastFailureAt: Date | null = null;

  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
