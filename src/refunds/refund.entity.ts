import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { RefundStatus } from '@paymux/payments';
import { newId } from '../database/ids';

export interface RefundFailure {
  readonly code: string;
  readonly message: string;
}

/** Who started a refund: the merchant (API, admin panel) or the provider (its dashboard, a chargeback). */
export type RefundInitiator = 'merchant' | 'provider';

/**
 * Money given back on a paid session, in the session's currency and minor units. A refund the
 * merchant starts is `pending` until the provider's answer, webhook or the reconcile job settles
 * it; one the provider reports (by webhook or reconciliation) is recorded once, by its id there.
 */
@Entity({ tableName: 'refunds' })
@Unique({ properties: ['provider', 'providerRefundId'] })
@Index({ properties: ['status', 'lastCheckedAt'] })
export class Refund {
  @PrimaryKey({ length: 40 })
  id: string = newId('re');

  @Property({ length: 40, index: true })
  sessionId!: string;

  @Property({ length: 32 })
  provider!: string;

  /** The provider's id of this refund, once known (null while a call to it is unanswered). */
  @Property({ type: 'string', length: 255, nullable: true })
  providerRefundId: string | null = null;

  /** Minor units of `currency` (the session's). */
  @Property({ type: new BigIntType('number') })
  amount!: number;

  @Property({ length: 3 })
  currency!: string;

  @Property({ length: 16 })
  status: RefundStatus = 'pending';

  /** The provider's own last word on it, for operators. */
  @Property({ type: 'string', length: 64, nullable: true })
  providerStatus: string | null = null;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Property({ type: 'json' })
  metadata: Record<string, string> = {};

  @Property({ type: 'json', nullable: true })
  failure: RefundFailure | null = null;

  /** Taken back by the card holder's bank (Smart Glocal `is_chargeback`), not by the merchant. */
  @Property({ default: false })
  chargeback: boolean = false;

  @Property({ length: 16 })
  initiatedBy: RefundInitiator = 'merchant';

  @Property({ index: true })
  createdAt: Date = new Date();

  @Property()
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  settledAt: Date | null = null;

  /** Last time the reconcile job asked the provider about it (null: never). */
  @Property({ type: 'datetime', nullable: true })
  lastCheckedAt: Date | null = null;
}
