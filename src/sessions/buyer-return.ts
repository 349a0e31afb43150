import type { SessionStatus } from '@paymux/payments';

/** The query parameter paymux adds to the merchant's return_url and cancel_url. */
const PAYMUX_SESSION_ID_PARAM = 'paymux_session_id';

const SESSION_ID = /^sess_[0-9A-Z]{26}$/;

export function isSessionId(value: string): boolean {
  return SESSION_ID.test(value);
}

/** paymux's return relay for a session: what providers get as the buyer's way back. */
export function returnRelayUrl(publicUrl: string, sessionId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/return/${encodeURIComponent(sessionId)}`;
}

/** `url` with `paymux_session_id=<id>` added; its own query string and fragment are kept. */
export function withPaymuxSessionId(url: string, sessionId: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(PAYMUX_SESSION_ID_PARAM, sessionId);
  return parsed.toString();
}

export interface ReturnTarget {
  status: SessionStatus;
  returnUrl: string;
  cancelUrl: string | null;
}

/**
 * Where the buyer goes back to (docs/API.md, "Return and cancel URLs"): `return_url` once a
 * payment is made, under way or authorized (`succeeded`, `processing`, `requires_capture`: the
 * merchant learns the rest by webhook); `cancel_url` when none is — the buyer backed out or cancelled (`open`), or the payment
 * did not complete (`failed`, `expired`, `cancelled`). Without a `cancel_url`, `return_url`.
 * Only the session's own URLs: never an address taken from the request.
 */
export function buyerDestination(session: ReturnTarget, sessionId: string): string {
  const paid = session.status === 'succeeded' || session.status === 'processing' || session.status === 'requires_capture';
  return withPaymuxSessionId(paid || session.cancelUrl === null ? session.returnUrl : session.cancelUrl, sessionId);
}
