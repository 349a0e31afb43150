import type { Session } from '../sessions/session.entity';
import type { Refund } from './refund.entity';

/** Refunds that count against what a session can still give back: all but the failed ones. */
export const HOLDING: readonly Refund['status'][] = ['pending', 'succeeded'];

/** What a paid session took: the part a manual capture took, else the whole amount. */
export function capturedAmountOf(session: Pick<Session, 'amount' | 'capturedAmount'>): number {
  return session.capturedAmount ?? session.amount ?? 0;
}

/** What is left to refund: the captured amount less the refunds that hold part of it (`HOLDING`). */
export function refundableLeft(session: Pick<Session, 'amount' | 'capturedAmount'>, holding: readonly Pick<Refund, 'amount'>[]): number {
  return capturedAmountOf(session) - holding.reduce((sum, refund) => sum + refund.amount, 0);
}
