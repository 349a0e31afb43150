import type { SimRequest, SimResponse } from '@paymux/simulator-kit';
import type { KomojuAccount } from './account';

/**
 * `POST /payments/{id}/capture` (Payments): `amount` (optional, lowest denomination) captures
 * part of a payment on hold; the answer is the Payment. Refusals are KomojuAccount's.
 */
export function capturePaymentCall(account: KomojuAccount, paymentId: string, req: SimRequest): SimResponse {
  const stored = account.storedByPayment(paymentId);
  const amount = (req.body as { amount?: unknown } | undefined)?.amount;
  if (amount !== undefined && typeof amount !== 'number') {
    return { status: 400, body: { error: { message: 'amount must be an integer', code: 'bad_request', param: 'amount' } } };
  }
  account.capture(stored, amount);
  return { status: 200, body: stored.session.payment };
}
