/**
 * The unified session statuses and their legal transitions, as data (see API.md, Sessions).
 * Every change of a session's status is checked against this table by one function.
 */
export const SESSION_STATUSES = ['open', 'processing', 'requires_capture', 'succeeded', 'failed', 'expired', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const TERMINAL_STATUSES: readonly SessionStatus[] = ['succeeded', 'failed', 'expired', 'cancelled'];

/** `manual`: an authorized payment waits on hold for `POST /v1/sessions/:id/capture`. */
export const CAPTURE_METHODS = ['automatic', 'manual'] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

export const SESSION_MODES = ['payment', 'customer', 'customer_payment'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** Where a status change came from; recorded on every session event. */
export const TRANSITION_SOURCES = ['api', 'webhook', 'sync', 'scheduler', 'admin'] as const;
export type TransitionSource = (typeof TRANSITION_SOURCES)[number];

const TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  open: ['processing', 'requires_capture', 'succeeded', 'failed', 'expired', 'cancelled'],
  // A provider may cancel a payment still in progress (KOMOJU: `pending` or `authorized`
  // payments can be cancelled, e.g. a konbini reservation the customer never paid).
  processing: ['requires_capture', 'succeeded', 'failed', 'expired', 'cancelled'],
  // Manual capture: the funds are on hold until the merchant captures (succeeded; a capture the
  // provider settles later keeps this status until it does), cancels (the hold is released) or
  // the hold lapses at the provider's deadline (expired, or failed with the provider's reason).
  // Never back to processing: a status is entered once in a session's life.
  requires_capture: ['succeeded', 'failed', 'expired', 'cancelled'],
  succeeded: [],
  failed: [],
  // A payment the provider confirms after paymux gave up on the session is never hidden:
  // the session becomes succeeded and is marked late.
  expired: ['succeeded'],
  cancelled: ['succeeded'],
};

export type TransitionVerdict =
  | { kind: 'apply'; late: boolean }
  | { kind: 'unchanged' }
  | { kind: 'illegal' };

/** Decides what a requested status change means for a session now in `from`. */
export function judgeTransition(from: SessionStatus, to: SessionStatus): TransitionVerdict {
  if (from === to) return { kind: 'unchanged' };
  if (!TRANSITIONS[from].includes(to)) return { kind: 'illegal' };
  return { kind: 'apply', late: from === 'expired' || from === 'cancelled' };
}

export function isTerminal(status: SessionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
