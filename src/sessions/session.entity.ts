import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { CaptureMethod, ReportedAmount, SessionFailure, SessionMode, SessionStatus } from '@paymux/payments';
import { newId } from '../database/ids';
import type { RoutingRecord } from '../routing/provider-router';

@Entity({ tableName: 'sessions' })
@Index({ properties: ['provider', 'providerSessionId'] })
@Index({ properties: ['status', 'expiresAt'] })
@Index({ properties: ['provider', 'providerCustomerId'] })
@Index({ properties: ['status', 'captureBefore'] })
export class Session {
  @PrimaryKey({ length: 40 })
  id: string = newId('sess');

  @Property({ length: 32 })
  provider!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  providerSessionId: string | null = null;

  /** The provider's customer id this session creates or fills (KOMOJU customer modes). */
  @Property({ type: 'string', length: 255, nullable: true })
  providerCustomerId: string | null = null;

  @Property({ length: 32 })
  mode: SessionMode = 'payment';

  @Property({ length: 16 })
  status: SessionStatus = 'open';

  /** Succeeded after paymux had expired or cancelled it (money taken is never hidden). */
  @Property({ default: false })
  late: boolean = false;

  /** Minor units; null only in KOMOJU `customer` mode. */
  @Property({ type: new BigIntType('number'), nullable: true })
  amount: number | null = null;

  @Property({ type: 'string', length: 3, nullable: true })
  currency: string | null = null;

  /** `manual`: an authorized payment is held for the merchant's capture (`requires_capture`). */
  @Property({ type: 'string', length: 16, default: 'automatic' })
  captureMethod: CaptureMethod = 'automatic';

  /** When the provider reported the funds on hold (manual capture); null if there never was a hold. */
  @Property({ type: 'datetime', nullable: true })
  authorizedAt: Date | null = null;

  /** paymux asked the provider to capture and it settles later (Smart Glocal: `payment_finished`). */
  @Property({ type: 'datetime', nullable: true })
  captureRequestedAt: Date | null = null;

  /** The provider releases an uncaptured hold at this time (manual capture). */
  @Property({ type: 'datetime', nullable: true })
  captureBefore: Date | null = null;

  /**
   * Minor units actually captured, set when the session becomes `succeeded`: the whole amount for
   * automatic capture, the captured part after a partial manual capture. What refunds are limited by.
   */
  @Property({ type: new BigIntType('number'), nullable: true })
  capturedAmount: number | null = null;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'integer', nullable: true, index: true })
  productId: number | null = null;

  @Property({ type: 'string', length: 40, nullable: true, index: true })
  customerId: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true, index: true })
  orderId: string | null = null;

  @Property({ type: 'text', nullable: true })
  redirectUrl: string | null = null;

  @Property({ type: 'text' })
  returnUrl!: string;

  @Property({ type: 'text', nullable: true })
  cancelUrl: string | null = null;

  @Property({ type: 'text', nullable: true })
  callbackUrl: string | null = null;

  @Property({ type: 'json', nullable: true })
  paymentMethods: string[] | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  defaultPaymentMethod: string | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  locale: string | null = null;

  @Property()
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;

  @Property({ type: 'json', nullable: true })
  failure: SessionFailure | null = null;

  /**
   * What the provider reported charging when it differed from this session's amount or
   * currency; never cleared. Such a session never becomes `succeeded` on that report.
   */
  @Property({ type: 'json', nullable: true })
  amountMismatch: AmountMismatch | null = null;

  @Property({ type: 'json' })
  metadata: Record<string, string> = {};

  /** How the provider was chosen and every creation attempt (failover); null on sessions made before routing was recorded. */
  @Property({ type: 'json', nullable: true })
  routing: RoutingRecord | null = null;

  /** The provider's own last status word, for operators. */
  @Property({ type: 'string', length: 64, nullable: true })
  providerStatus: string | null = null;

  /** Last time a provider callback or a sync told us about this session (reconciliation). */
  @Property({ type: 'datetime', nullable: true })
  lastProviderUpdateAt: Date | null = null;

  /** Failed attempts to confirm the status with the provider during expiry. */
  @Property({ default: 0 })
  expiryCheckFailures: number = 0;

  /**
   * A scheduled job's short lease on this session while it asks the provider outside any
   * transaction (see src/jobs/session-claims.ts); null or past means unclaimed.
   */
  @Property({ type: 'datetime', nullable: true })
  claimedUntil: Date | null = null;

  @Property({ type: 'string', length: 128, nullable: true })
  claimedBy: string | null = null;

  @Property({ index: true })
  createdAt: Date = new Date();

  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

export interface AmountMismatch extends ReportedAmount {
  /** When the mismatching report arrived. */
  readonly reportedAt: string;
}
