import type { RefundView } from './dto/refund.view';
import type { Refund } from './refund.entity';

/** The refund as the API shows it (also the payload of `refund.*` events). */
export function renderRefund(refund: Refund): RefundView {
  return {
    id: refund.id,
    object: 'refund',
    session_id: refund.sessionId,
    provider: refund.provider,
    provider_refund_id: refund.providerRefundId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
    chargeback: refund.chargeback,
    initiated_by: refund.initiatedBy,
    failure: refund.failure,
    metadata: refund.metadata,
    created_at: refund.createdAt.toISOString(),
    updated_at: refund.updatedAt.toISOString(),
    settled_at: refund.settledAt?.toISOString() ?? null,
  };
}
