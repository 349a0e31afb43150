/**
 * The unified session statuses and their legal transitions, as data (see API.md, Sessions).
 * Every change of a session's status is checked against this table by one function.
 */
export const SESSION_STATUSES = ['open', 'processing', 'succeeded', 'failed', 'expired', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const TERMINAL_STATUSES: readonly SessionStatus[] = ['succeeded', 'failed', 'expired', 'cancelled'];

export const SESSION_MODES = ['payment', 'customer', 'customer_payment'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** Where a status change came from; recorded on every session event. */
export const TRANSITION_SOURCES = ['api', 'webhook', 'sync', 'scheduler', 'admin'] as const;
export type TransitionSource = (typeof TRANSITION_SOURCES)[number];

const TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  open: ['processing', 'succeeded', 'failed', 'expired', 'cancelled'],
  // A provider may cancel a payment still in progress (KOMOJU: `pending` or `authorized`
  // payments can be cancelled, e.g. a konbini reservation the customer never paid).
  processing: ['succeeded', 'failed', 'expired', 'cancelled'],
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
