import type { ProviderRefundReport, ProviderRefundRequest, RefundStatus } from '@paymux/payments';
import type { Refund, Session, SessionRefundRequest } from '@paymux/smart-glocal';
import { InvalidRequest } from '@paymux/payments';
import { decidingPayment, METADATA_KEYS, SMART_GLOCAL_CURRENCIES } from './mapping';

/**
 * paymux refunds ↔ Smart Glocal's (providers/smart-glocal.md, "Refunds and chargebacks"):
 * `session/refund` with `amount_details` (always sent: minor units on both sides, lower-case
 * code), and the refund objects of the payment's `refunds[]`.
 */

export function toSessionRefundRequest(providerSessionId: string, request: ProviderRefundRequest): SessionRefundRequest {
  const currency = request.currency.toUpperCase();
  if (!(SMART_GLOCAL_CURRENCIES as readonly string[]).includes(currency)) throw new InvalidRequest('currency', `smart_glocal does not take ${currency}`);
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) throw new InvalidRequest('amount', 'amount must be a positive integer in minor units');
  return {
    session_id: providerSessionId,
    amount_details: { amount: request.amount, currency: currency.toLowerCase() },
    metadata: { [METADATA_KEYS.refundId]: request.refundId },
  };
}

/**
 * NOT IN PUBLIC DOCS: the refund statuses besides `in_progress` and `accepted`. Choice (the doc's):
 * `accepted` is done; every other word is not final yet.
 */
export function toRefundStatus(status: string): RefundStatus {
  return status === 'accepted' ? 'succeeded' : 'pending';
}

/** The deciding payment's `refunds[]` (chargebacks included) as unified refunds. */
export function toRefundReports(session: Session): ProviderRefundReport[] {
  const payment = decidingPayment(session);
  const reports: ProviderRefundReport[] = [];
  for (const refund of (payment?.refunds ?? []) as Partial<Refund>[]) {
    // NOT IN PUBLIC DOCS: a refund object without `amount_details`. Choice: it is of the whole payment.
    const details = refund?.amount_details ?? payment?.amount_details;
    if (!refund || typeof refund.id !== 'string' || typeof refund.status !== 'string' || !details || typeof details.amount !== 'number' || typeof details.currency !== 'string') continue;
    reports.push({
      providerRefundId: refund.id,
      status: toRefundStatus(refund.status),
      providerStatus: refund.status,
      amount: details.amount,
      currency: details.currency.toUpperCase(),
      chargeback: refund.is_chargeback === true,
      // The refund object carries no metadata of its own (objects page): matched by amount.
      reference: null,
    });
  }
  return reports;
}
