import type { UnifiedCustomer, UnifiedSessionRequest } from '@paymux/payments';

/** A valid unified request for Smart Glocal specs; override what a test is about. */
export function unifiedRequest(overrides: Partial<UnifiedSessionRequest> = {}): UnifiedSessionRequest {
  return {
    sessionId: 'sess_01TEST',
    mode: 'payment',
    amount: 10000,
    currency: 'USD',
    description: null,
    product: null,
    customer: customer(),
    orderId: 'ORDER_1',
    returnUrl: 'https://shop.example/return',
    cancelUrl: null,
    buyerReturnUrl: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST',
    paymentMethods: null,
    defaultPaymentMethod: null,
    locale: null,
    expiresInSeconds: 3600,
    metadata: {},
    webhookUrl: 'https://paymux.example/v1/webhooks/smart-glocal',
    idempotencyKey: null,
    ...overrides,
  };
}

export function customer(overrides: Partial<UnifiedCustomer> = {}): UnifiedCustomer {
  return { id: 'cus_01TEST', reference: 'user-981', email: null, username: null, fullName: null, providerCustomers: {}, ...overrides };
}

export const CARD = { number: '4242424242424242', expiration_month: '05', expiration_year: '45', security_code: '987' };
