import type { SpayonCallback, SpayonDeclineReason, SpayonSessionStatus, SpayonStatus } from '../types';
import type { AcceptedSessionRequest } from './create-session-validation';

/** One session as the simulator keeps it. */
export interface SimulatorSession extends AcceptedSessionRequest {
  readonly id: string;
  status: SpayonStatus;
  readonly createdAt: Date;
  updatedAt: Date;
  readonly expiresAt: Date;
  /** Every declined attempt, oldest first. */
  readonly declineReasons: SpayonDeclineReason[];
}

/** The documented status answer (camelCase, price a string). */
export function toStatusAnswer(session: SimulatorSession): SpayonSessionStatus {
  return {
    sessionId: session.id,
    status: session.status,
    productName: session.productName,
    price: session.price,
    currency: session.currency,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
    orderId: session.orderId,
  };
}

/** The callback body: the status fields, and `declineReasons` on failure. */
export function toCallbackBody(session: SimulatorSession): SpayonCallback {
  const body: SpayonCallback = toStatusAnswer(session);
  if (session.status === 'failed') body.declineReasons = session.declineReasons.map((reason) => ({ ...reason }));
  return body;
}
