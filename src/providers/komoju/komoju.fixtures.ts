import type { UnifiedCustomer, UnifiedProduct, UnifiedSessionRequest } from '@paymux/payments';

/** A valid KOMOJU payment-mode request; tests override what they exercise. */
export function unifiedRequest(overrides: Partial<UnifiedSessionRequest> = {}): UnifiedSessionRequest {
  return {
    sessionId: 'sess_01JDKOMOJU',
    mode: 'payment',
    amount: 1000,
    currency: 'JPY',
    description: null,
    product: null,
    customer: null,
    orderId: null,
    returnUrl: 'https://shop.example/return',
    cancelUrl: null,
    buyerReturnUrl: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST',
    paymentMethods: null,
    defaultPaymentMethod: null,
    locale: null,
    expiresInSeconds: 86_400,
    metadata: {},
    webhookUrl: 'https://paymux.example/v1/webhooks/komoju',
    idempotencyKey: null,
    ...overrides,
  };
}

export function unifiedCustomer(overrides: Partial<UnifiedCustomer> = {}): UnifiedCustomer {
  return { id: 'cus_01JD', reference: 'user-981', email: 'user@example.com', username: null, fullName: null, providerCustomers: {}, ...overrides };
}

export function unifiedProduct(overrides: Partial<UnifiedProduct> = {}): UnifiedProduct {
  return { id: 42, name: 'Phone case', description: 'Red', amount: 1000, currency: 'JPY', providerProducts: {}, ...overrides };
}
