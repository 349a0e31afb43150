import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  describeAmount, findAmountMismatch, isTerminal, PROVIDER_REGISTRY, ProviderRegistry, ProviderStatusReport, ReportedAmount, SessionStatus, TransitionSource,
} from '@paymux/payments';
import { Clock } from '../clock';
import { writeChanges } from '../database/statements';
import { renderCustomer } from '../customers/customers.service';
import { SessionCustomers } from '../customers/session-customers';
import { Metrics } from '../health/metrics';
import { Outbox } from '../notifications/outbox';
import { isCapturedPart, statusForHold } from './hold-rules';
import { SessionTransitions, TransitionOutcome } from './session-transitions';
import { renderSession } from './session-view';
import { Session } from './session.entity';

/**
 * What providers report about a session (a callback, a status answer to sync, reconcile or
 * expiry), applied to it under its row lock.
 */
@Injectable()
export class ProviderReports {
  private readonly logger = new Logger('sessions');

  constructor(
    private readonly transitions: SessionTransitions,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly customers: SessionCustomers,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  /**
   * Applies a provider's view of a session: links a provider customer when one is reported,
   * records the contact, checks the amount the provider states, and moves the status through
   * the state machine.
   */
  async apply(sessionId: string, report: ProviderStatusReport, source: TransitionSource, em?: EntityManager): Promise<{ outcome: TransitionOutcome; session: Session }> {
    return this.transitions.inTransaction(async (tx) => this.applyLocked(tx, await this.transitions.lock(tx, sessionId), report, source), em);
  }

  /** `apply` for a caller that holds `session`'s row lock in `tx`'s transaction (`SessionTransitions.lock`). */
  async applyLocked(tx: EntityManager, session: Session, report: ProviderStatusReport, source: TransitionSource): Promise<{ outcome: TransitionOutcome; session: Session }> {
    session.lastProviderUpdateAt = this.clock.now();
    if (report.payableUntil && !isTerminal(session.status) && report.payableUntil > session.expiresAt) session.expiresAt = report.payableUntil;
    if (report.providerCustomerId && session.customerId) await this.linkProviderCustomer(tx, session, report.providerCustomerId);
    const capturedPart = isCapturedPart(session, report, this.partialCapture(session));
    const mismatch = capturedPart ? null : findAmountMismatch(session, report.amount);
    const result = mismatch
      ? await this.applyAmountMismatch(tx, session, report, source, mismatch)
      : await this.applyStatus(tx, session, report, source, capturedPart);
    await writeChanges(tx, session);
    await tx.flush();
    return result;
  }

  /** `capturedPart`: the report is a capture of (part of) the session's hold (`isCapturedPart`). */
  private async applyStatus(tx: EntityManager, session: Session, report: ProviderStatusReport, source: TransitionSource, capturedPart: boolean) {
    const to = statusForHold(session, report);
    if (to === 'open' || to === null) {
      session.providerStatus = report.providerStatus;
      return { outcome: 'unchanged' as const, session };
    }
    return this.transitions.applyLocked(tx, session, {
      to,
      source,
      providerStatus: report.providerStatus,
      failure: report.failure ?? null,
      hold: to === 'requires_capture' ? report.hold ?? null : null,
      capturedAmount: to === 'succeeded' && capturedPart ? report.amount!.amount : undefined,
    }, { flush: false });
  }

  /** The session's provider captures part of a hold (KOMOJU); else only the whole amount is a capture. */
  private partialCapture(session: Session): boolean {
    return this.registry.has(session.provider) && this.registry.get(session.provider).capabilities.manualCapture?.partial === true;
  }

  /**
   * A report whose amount or currency differs from the session's is never a silent success.
   * A report of money moving (open, processing, succeeded) fails an open or processing session
   * with `amount_mismatch` and leaves a final one as it is (a late payment of the wrong amount
   * never makes it `succeeded`); a report of no money moving (failed, expired, cancelled) applies
   * as it is. Either way the session keeps what the provider reported in `amount_mismatch`, and
   * when its status does not change the merchant hears of it by `session.amount_mismatch`.
   */
  private async applyAmountMismatch(
    tx: EntityManager, session: Session, report: ProviderStatusReport, source: TransitionSource, reported: ReportedAmount,
  ): Promise<{ outcome: TransitionOutcome; session: Session }> {
    const firstReport = session.amountMismatch === null;
    const expected = describeAmount(session.amount!, session.currency!);
    const stated = describeAmount(reported.amount, reported.currency);
    if (firstReport) {
      session.amountMismatch = { amount: reported.amount, currency: reported.currency.toUpperCase(), reportedAt: this.clock.now().toISOString() };
      this.metrics.amountMismatches.inc({ provider: session.provider });
      this.logger.warn(
        { sessionId: session.id, provider: session.provider, providerStatus: report.providerStatus, expected, reported: stated, source },
        'provider reported an amount that differs from the session',
      );
    }
    const moneyMoving: readonly SessionStatus[] = ['open', 'processing', 'succeeded'];
    if (moneyMoving.includes(report.status) && isTerminal(session.status)) return this.notifyMismatch(tx, session, firstReport);
    if (moneyMoving.includes(report.status)) {
      return this.transitions.applyLocked(tx, session, {
        to: 'failed',
        source,
        providerStatus: report.providerStatus,
        failure: {
          code: 'amount_mismatch',
          message: `${session.provider} reported ${stated} (status ${report.providerStatus}) for a session of ${expected}`,
          source: 'paymux',
        },
        note: `amount_mismatch: ${session.provider} reported ${stated}, the session is ${expected}`,
      }, { flush: false });
    }
    const result = await this.applyStatus(tx, session, report, source, false);
    return result.outcome === 'applied' ? result : this.notifyMismatch(tx, session, firstReport);
  }

  /** The status stays; the merchant hears of the mismatch once, by `session.amount_mismatch`. */
  private async notifyMismatch(tx: EntityManager, session: Session, firstReport: boolean): Promise<{ outcome: TransitionOutcome; session: Session }> {
    if (!firstReport) return { outcome: 'unchanged', session };
    session.updatedAt = this.clock.now();
    await this.outbox.record(tx, 'session.amount_mismatch', { sessionId: session.id, customerId: session.customerId, callbackUrl: session.callbackUrl }, renderSession(session));
    return { outcome: 'applied', session };
  }

  private async linkProviderCustomer(em: EntityManager, session: Session, providerCustomerId: string): Promise<void> {
    const customer = await this.customers.linkProviderCustomer(em, session.customerId!, session.provider, providerCustomerId);
    if (customer) await this.outbox.record(em, 'customer.updated', { customerId: customer.id, sessionId: session.id, callbackUrl: session.callbackUrl }, renderCustomer(customer));
  }
}
