import { EntityManager } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import type { ProviderRefundReport } from '@paymux/payments';
import { Clock } from '../clock';
import { EventType, Outbox } from '../notifications/outbox';
import type { Session } from '../sessions/session.entity';
import { RefundFailure, Refund } from './refund.entity';
import { renderRefund } from './refund-view';

export type RefundSource = 'api' | 'admin' | 'webhook' | 'scheduler';

/**
 * The one place a refund's status changes, always in the caller's transaction with the session's
 * row locked, writing the outbound `refund.*` event with the change. Statuses move one way:
 * `pending` → `succeeded` | `failed`; a settled refund never changes again, so a late or
 * repeated report changes nothing.
 */
@Injectable()
export class RefundLedger {
  private readonly logger = new Logger('refunds');

  constructor(
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** A new refund: stored with its `refund.created` event (and the settled event when it already is). */
  async record(em: EntityManager, session: Session, refund: Refund): Promise<void> {
    em.persist(refund);
    await this.emit(em, session, 'refund.created', refund);
    if (refund.status !== 'pending') await this.emit(em, session, `refund.${refund.status}`, refund);
  }

  async settle(em: EntityManager, session: Session, refund: Refund, to: 'succeeded' | 'failed', details: { providerStatus?: string | null; failure?: RefundFailure | null } = {}): Promise<boolean> {
    if (refund.status !== 'pending') return false;
    const now = this.clock.now();
    refund.status = to;
    refund.settledAt = now;
    refund.updatedAt = now;
    if (details.providerStatus !== undefined) refund.providerStatus = details.providerStatus;
    if (to === 'failed') refund.failure = details.failure ?? { code: 'refund_failed', message: 'The provider reported the refund as failed' };
    await this.emit(em, session, `refund.${to}`, refund);
    return true;
  }

  /**
   * Applies what the provider shows of the session's refunds (its answer to a refund call, a
   * webhook, reconciliation). A refund paymux knows by its provider id settles; an unknown one is
   * matched to a pending refund of ours not yet linked (by the reference the provider echoed,
   * else by amount — `prefer` first), or else recorded as one the provider made. Each provider
   * refund is recorded once. Answers how many refunds changed.
   */
  async applyReports(em: EntityManager, session: Session, reports: readonly ProviderRefundReport[], prefer: string | null = null): Promise<number> {
    if (reports.length === 0) return 0;
    const known = await em.find(Refund, { sessionId: session.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    let changed = 0;
    for (const report of reports) {
      let refund = known.find((r) => r.providerRefundId === report.providerRefundId);
      if (!refund) {
        refund = this.matchUnlinked(known, report, prefer);
        if (refund) {
          refund.providerRefundId = report.providerRefundId;
          refund.providerStatus = report.providerStatus;
          refund.updatedAt = this.clock.now();
          changed += 1;
        }
      }
      if (!refund) {
        refund = this.fromProvider(session, report);
        known.push(refund);
        await this.record(em, session, refund);
        this.logger.log({ sessionId: session.id, provider: session.provider, providerRefundId: report.providerRefundId, chargeback: report.chargeback }, 'refund made at the provider recorded');
        changed += 1;
        continue;
      }
      if (report.status !== 'pending' && (await this.settle(em, session, refund, report.status, { providerStatus: report.providerStatus }))) changed += 1;
    }
    return changed;
  }

  private matchUnlinked(known: Refund[], report: ProviderRefundReport, prefer: string | null): Refund | undefined {
    const unlinked = known.filter((r) => r.providerRefundId === null && r.status === 'pending' && r.initiatedBy === 'merchant' && !report.chargeback);
    if (report.reference) return unlinked.find((r) => r.id === report.reference);
    const sameAmount = unlinked.filter((r) => r.amount === report.amount && r.currency === report.currency);
    return sameAmount.find((r) => r.id === prefer) ?? sameAmount[0];
  }

  private fromProvider(session: Session, report: ProviderRefundReport): Refund {
    const now = this.clock.now();
    return Object.assign(new Refund(), {
      sessionId: session.id,
      provider: session.provider,
      providerRefundId: report.providerRefundId,
      amount: report.amount,
      currency: report.currency,
      status: report.status,
      providerStatus: report.providerStatus,
      chargeback: report.chargeback,
      initiatedBy: 'provider',
      createdAt: now,
      updatedAt: now,
      settledAt: report.status === 'pending' ? null : now,
    });
  }

  private emit(em: EntityManager, session: Session, type: EventType, refund: Refund) {
    return this.outbox.record(em, type, { sessionId: session.id, customerId: session.customerId, callbackUrl: session.callbackUrl }, renderRefund(refund));
  }
}
