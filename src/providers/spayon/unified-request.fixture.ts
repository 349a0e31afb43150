import type { UnifiedCustomer, UnifiedProduct, UnifiedSessionRequest } from '@paymux/payments';

/** A valid custom-purchase Spayon request for tests; override what the test is about. */
export function unifiedRequest(overrides: Partial<UnifiedSessionRequest> = {}): UnifiedSessionRequest {
  return {
    sessionId: 'sess_01JDTEST',
    mode: 'payment',
    amount: 500000,
    currency: 'AMD',
    description: 'Custom Product',
    product: null,
    customer: null,
    orderId: null,
    returnUrl: 'https://shop.example/thank-you',
    cancelUrl: null,
    buyerReturnUrl: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST',
    paymentMethods: null,
    defaultPaymentMethod: null,
    locale: null,
    expiresInSeconds: 900,
    metadata: {},
    webhookUrl: 'https://paymux.example/v1/webhooks/spayon',
    idempotencyKey: null,
    ...overrides,
  };
}

export function unifiedProduct(overrides: Partial<UnifiedProduct> = {}): UnifiedProduct {
  return { id: 42, name: 'iPhone 16 Pro case', description: null, amount: 500000, currency: 'AMD', providerProducts: { spayon: 17 }, ...overrides };
}

export function unifiedCustomer(overrides: Partial<UnifiedCustomer> = {}): UnifiedCustomer {
  return {
    id: 'cus_01JDTEST',
    reference: 'user-981',
    email: 'user@example.com',
    username: 'john_doe',
    fullName: 'John Doe',
    providerCustomers: {},
    ...overrides,
  };
}
