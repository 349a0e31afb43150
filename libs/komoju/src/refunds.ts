/**
 * KOMOJU refunds (shared/providers/komoju.md, Payments): `POST /payments/{id}/refund` with
 * `amount`? and `description`?; without `amount` the whole payment is refunded. The answer is the
 * Payment: a partial refund leaves it `captured`, the refund that makes it whole `refunded`
 * (`payment.refund.created` / `payment.refunded` webhooks). Its `amount_refunded` is the total.
 */

/** `POST /payments/{id}/refund` body (`RefundPaymentRequest`). */
export interface KomojuRefundBody {
  /** Lowest denomination of the payment's currency; omitted: the whole payment. */
  amount?: number;
  description?: string;
}

/**
 * One entry of a Payment's `refunds[]`. NOT IN PUBLIC DOCS: the entries' fields. Choice: `id`,
 * `amount` (lowest denomination), `currency`, `description` (as sent), `created_at`; an entry is
 * done when listed (KOMOJU shows no refund status).
 */
export interface KomojuRefund {
  id: string;
  amount: number;
  currency: string;
  description?: string | null;
  created_at: string;
}
