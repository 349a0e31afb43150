import { createHash } from 'node:crypto';
import { InvalidRequest, PaymentProvider, SessionMode, UnifiedCustomer, UnifiedSessionRequest } from '@paymux/payments';
import type { Customer } from '../customers/customer.entity';
import type { Product } from '../products/product.entity';
import { providerSlug } from '../providers/provider-list';
import type { CreateSessionDto } from './dto/create-session.dto';
import { returnRelayUrl } from './buyer-return';

export interface Purchase {
  product: Product | null;
  amount: number | null;
  currency: string | null;
  description: string | null;
}

/**
 * The request a session sends to a provider, built for each provider routing may try: only the
 * expiry default and the webhook URL differ between them.
 */
export function sessionRequestBuilder(parts: {
  sessionId: string;
  mode: SessionMode;
  input: CreateSessionDto;
  purchase: Purchase;
  customer: Customer | null;
  publicUrl: string;
  idempotencyKey: string;
}): (provider: PaymentProvider) => UnifiedSessionRequest {
  const { input, purchase, customer } = parts;
  const base: Omit<UnifiedSessionRequest, 'expiresInSeconds' | 'webhookUrl'> = {
    sessionId: parts.sessionId,
    mode: parts.mode,
    amount: purchase.amount,
    currency: purchase.currency,
    description: purchase.description,
    product: purchase.product
      ? {
          id: purchase.product.id,
          name: purchase.product.name,
          description: purchase.product.description,
          amount: purchase.product.amount,
          currency: purchase.product.currency,
          providerProducts: { ...purchase.product.providerProducts },
        }
      : null,
    customer: customer ? toUnifiedCustomer(customer) : null,
    orderId: input.order_id ?? null,
    returnUrl: input.return_url,
    cancelUrl: input.cancel_url ?? null,
    buyerReturnUrl: returnRelayUrl(parts.publicUrl, parts.sessionId),
    paymentMethods: input.payment_methods ?? null,
    defaultPaymentMethod: input.default_payment_method ?? null,
    locale: input.locale ?? null,
    metadata: input.metadata ?? {},
    idempotencyKey: parts.idempotencyKey,
    captureMethod: input.capture ?? 'automatic',
    // Passed through to the provider only: never stored, logged or echoed.
    providerOptions: input.payment_details,
  };
  return (provider) => ({
    ...base,
    expiresInSeconds: input.expires_in_seconds ?? provider.capabilities.expiry.defaultSeconds,
    webhookUrl: `${parts.publicUrl}/v1/webhooks/${providerSlug(provider.name)}`,
  });
}

/** A fallback provider's own checks of a request, as a yes or no. */
export function acceptsRequest(provider: PaymentProvider, request: UnifiedSessionRequest): boolean {
  try {
    provider.validateRequest(request);
    return true;
  } catch (error) {
    if (error instanceof InvalidRequest) return false;
    throw error;
  }
}

export function toUnifiedCustomer(customer: Customer): UnifiedCustomer {
  return {
    id: customer.id,
    reference: customer.reference,
    email: customer.email,
    username: customer.username,
    fullName: customer.fullName,
    providerCustomers: { ...customer.providerCustomers },
  };
}

/**
 * The idempotency key sent to providers that take one: derived from the caller's key and API key
 * (so two API keys using the same key never collide at the provider), else the session id.
 */
export function providerIdempotencyKey(context: { apiKeyId: string | null; idempotencyKey: string | null }, sessionId: string): string {
  if (!context.idempotencyKey) return sessionId;
  return 'pmx-' + createHash('sha256').update(`${context.apiKeyId ?? ''}:${context.idempotencyKey}`).digest('hex').slice(0, 48);
}
