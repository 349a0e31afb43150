import type { ProviderStatusReport, SessionStatus } from '@paymux/payments';
import type { Session } from './session.entity';

/** How a provider's report meets a manual-capture session (pure; applied by ProviderReports.apply). */

/**
 * A hold (manual capture) makes a manual session `requires_capture`; an automatic session stays
 * where the report puts it (the adapter captures at once). While a manual session is on hold, a
 * report that the payment is still in progress (a capture being settled) changes nothing.
 */
export function statusForHold(session: Session, report: ProviderStatusReport): SessionStatus | null {
  if (session.status === 'requires_capture' && report.status === 'processing') return null;
  if (!report.hold || report.status !== 'processing' || session.captureMethod !== 'manual') return report.status;
  return 'requires_capture';
}

/**
 * On a manual-capture session whose payment was held (paymux saw the hold, or the provider says
 * the payment is of a held kind: its captured callback may overtake the authorized one), a
 * capture of part of the authorized amount (same currency, 1..amount) is what the merchant asked
 * for, not an amount mismatch. A konbini-like payment is never partial, nor a capture by a
 * provider that captures only in full (`partialCapture` false).
 */
export function isCapturedPart(session: Session, report: ProviderStatusReport, partialCapture = true): boolean {
  const reported = report.amount;
  const held = session.authorizedAt !== null || report.capturedFromHold === true;
  if (session.captureMethod !== 'manual' || !held || report.status !== 'succeeded' || !reported || session.amount === null || session.currency === null) return false;
  const lowest = partialCapture ? 1 : session.amount;
  return reported.currency.toUpperCase() === session.currency.toUpperCase() && reported.amount >= lowest && reported.amount <= session.amount;
}
