import { randomBytes } from 'node:crypto';
import type { SimResponse } from '@paymux/simulator-kit';
import { NOTIFICATION_TYPES, Refund, Session } from '../types';
import type { PaymentFlow } from './payment-flow';
import { apiError, isObject, ok } from './wire';

/** Test knobs of `session/refund`: refuse it, finish it late, or answer it late. */
export interface RefundKnobs {
  /** Refuse every refund with this error code (HTTP 400 envelope); null: take them. */
  refuseWith: string | null;
  /** A refund stays `in_progress` this long before it is `accepted` and `payment_refunded` is sent. */
  settleAfterMs: number;
  /** Take the refund, then answer only after this many ms (a client that gives up first never hears). */
  answerDelayMs: number;
}
const DEFAULT_REFUND_KNOBS: Readonly<RefundKnobs> = Object.freeze({ refuseWith: null, settleAfterMs: 0, answerDelayMs: 0 });

/**
 * `session/refund` (providers/smart-glocal.md, "Refunds and chargebacks"): the id of the session
 * holding the succeeded payment, `amount_details` for a partial refund (omitted: the whole rest).
 * The answer shows the new refund `in_progress` in the payment's `refunds[]`; when it is done it
 * becomes `accepted` and `payment_refunded` is sent. The payment stays `succeeded` and the session
 * `accepted` throughout. NOT IN PUBLIC DOCS: the error codes; these name the problem.
 */
export class RefundCall {
  knobs: RefundKnobs = { ...DEFAULT_REFUND_KNOBS };

  constructor(private readonly flow: PaymentFlow) {}

  set(changes: Partial<RefundKnobs>): void {
    this.knobs = { ...this.knobs, ...changes };
  }

  reset(): void {
    this.knobs = { ...DEFAULT_REFUND_KNOBS };
  }

  async handle(body: Record<string, unknown>): Promise<SimResponse> {
    const answer = this.refund(body);
    if (this.knobs.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.knobs.answerDelayMs));
    return answer;
  }

  private refund(body: Record<string, unknown>): SimResponse {
    if (typeof body.session_id !== 'string') return apiError(400, 'invalid_request', 'session_id is required');
    const session = this.flow.sessions.get(body.session_id);
    if (!session) return apiError(404, 'session_not_found', 'no such session');
    const payment = session.acquiring_payments.find((p) => p.status === 'succeeded');
    if (!payment) return apiError(409, 'invalid_session_state', 'the session holds no succeeded payment');
    if (this.knobs.refuseWith) return apiError(400, this.knobs.refuseWith, 'the refund was refused');
    const refunded = (payment.refunds ?? []).filter((r) => !r.is_chargeback).reduce((sum, r) => sum + (r.amount_details?.amount ?? 0), 0);
    const rest = payment.amount_details.amount - refunded;
    let amount = rest;
    if (body.amount_details !== undefined) {
      const details = body.amount_details;
      if (!isObject(details) || typeof details.amount !== 'number' || !Number.isSafeInteger(details.amount) || details.amount <= 0) {
        return apiError(400, 'invalid_amount', 'amount_details.amount must be a positive integer in minor units');
      }
      if (typeof details.currency !== 'string' || details.currency.toLowerCase() !== payment.amount_details.currency.toLowerCase()) {
        return apiError(400, 'invalid_currency', `amount_details.currency must be the payment's (${payment.amount_details.currency})`);
      }
      amount = details.amount;
    }
    if (amount <= 0 || amount > rest) return apiError(400, 'refund_amount_exceeded', `at most ${rest} can be refunded`);
    const refund: Refund = {
      id: `rf_${randomBytes(8).toString('hex')}`,
      status: 'in_progress',
      created_at: new Date().toISOString(),
      is_chargeback: false,
      amount_details: { amount, currency: payment.amount_details.currency },
    };
    payment.refunds = [...(payment.refunds ?? []), refund];
    session.updated_at = refund.created_at!;
    this.flow.schedule(() => this.settle(session, refund.id), this.knobs.settleAfterMs);
    return ok(session);
  }

  private settle(session: Session, refundId: string): void {
    for (const payment of session.acquiring_payments) {
      const refund = payment.refunds?.find((r) => r.id === refundId);
      if (!refund || refund.status !== 'in_progress') continue;
      refund.status = 'accepted';
      refund.finished_at = new Date().toISOString();
      session.updated_at = refund.finished_at;
      this.flow.notify(session, NOTIFICATION_TYPES.paymentRefunded);
    }
  }
}
