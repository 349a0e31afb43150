import type { SessionEvent } from './session-event.entity';
import type { Session } from './session.entity';
import type { SessionEventView, SessionView } from './dto/session.view';

/** The session as the API shows it (also the payload of outbound events). */
export function renderSession(session: Session): SessionView {
  const view: SessionView = {
    id: session.id,
    object: 'session',
    provider: session.provider,
    provider_session_id: session.providerSessionId,
    mode: session.mode,
    status: session.status,
    amount: session.amount,
    capture: session.captureMethod,
    captured_amount: session.capturedAmount,
    capture_before: session.captureBefore?.toISOString() ?? null,
    capture_requested_at: session.captureRequestedAt?.toISOString() ?? null,
    currency: session.currency,
    description: session.description,
    product_id: session.productId,
    customer_id: session.customerId,
    order_id: session.orderId,
    redirect_url: session.redirectUrl,
    return_url: session.returnUrl,
    cancel_url: session.cancelUrl,
    callback_url: session.callbackUrl,
    payment_methods: session.paymentMethods,
    locale: session.locale,
    expires_at: session.expiresAt.toISOString(),
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
    completed_at: session.completedAt?.toISOString() ?? null,
    failure: session.failure,
    metadata: session.metadata,
    routing: session.routing,
  };
  if (session.late) view.late = true;
  if (session.amountMismatch) {
    view.amount_mismatch = { amount: session.amountMismatch.amount, currency: session.amountMismatch.currency, reported_at: session.amountMismatch.reportedAt };
  }
  return view;
}

export function renderSessionEvent(event: SessionEvent): SessionEventView {
  return {
    id: event.id,
    object: 'session_event',
    session_id: event.sessionId,
    from_status: event.fromStatus,
    to_status: event.toStatus,
    source: event.source,
    late: event.late,
    provider_status: event.providerStatus,
    note: event.note,
    created_at: event.createdAt.toISOString(),
  };
}
