import type { ProviderSessionRef } from '@paymux/payments';
import type { Session } from './session.entity';

/** What a provider adapter is told of a session it created (every call about it: status, cancel, capture, refund, follow-up). */
export function providerRef(session: Session, providerSessionId: string = session.providerSessionId!): ProviderSessionRef {
  return { id: session.id, providerSessionId, currency: session.currency, amount: session.amount, captureMethod: session.captureMethod };
}
