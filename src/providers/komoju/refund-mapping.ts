import type { ProviderRefundReport, ProviderRefundRequest } from '@paymux/payments';
import type { KomojuPayment, KomojuRefund, KomojuRefundBody } from '@paymux/komoju';
import { fromKomojuAmount, toKomojuAmount, toKomojuCurrency } from './mapping';

/**
 * paymux refunds ↔ KOMOJU's (shared/providers/komoju.md, Payments: `POST /payments/{id}/refund`
 * `amount`?, `description`?). The amount is always sent, converted exactly: "the whole payment"
 * would also take back what another refund already did.
 */

/** paymux's refund id rides in `description`, so the refund entry can be told apart from others. */
const REFERENCE_PATTERN = /\bpaymux refund (re_[0-9A-Za-z]+)/;

export function toKomojuRefundBody(request: ProviderRefundRequest): KomojuRefundBody {
  const currency = toKomojuCurrency(request.currency);
  const reference = `paymux refund ${request.refundId}`;
  return { amount: toKomojuAmount(request.amount, currency), description: request.reason ? `${reference}: ${request.reason}` : reference };
}

/**
 * A Payment's `refunds[]` as unified refunds. NOT IN PUBLIC DOCS: a refund entry's status;
 * KOMOJU lists a refund once it is made (`payment.refund.created`), so a listed one has succeeded.
 */
export function toRefundReports(payment: Pick<KomojuPayment, 'currency'> & { refunds?: unknown } | null | undefined): ProviderRefundReport[] {
  if (!payment || !Array.isArray(payment.refunds)) return [];
  const reports: ProviderRefundReport[] = [];
  for (const entry of payment.refunds as Partial<KomojuRefund>[]) {
    if (!entry || typeof entry.id !== 'string' || typeof entry.amount !== 'number') continue;
    const amount = fromKomojuAmount(entry.amount, typeof entry.currency === 'string' ? entry.currency : payment.currency);
    if (!amount) continue;
    const description = typeof entry.description === 'string' ? entry.description : '';
    reports.push({
      providerRefundId: entry.id,
      status: 'succeeded',
      providerStatus: 'refunded',
      amount: amount.amount,
      currency: amount.currency,
      chargeback: false,
      reference: REFERENCE_PATTERN.exec(description)?.[1] ?? null,
    });
  }
  return reports;
}
