import { currencyExponent, InvalidRequest, SessionStatus } from '@paymux/payments';
import { KOMOJU_CURRENCY_EXPONENTS, KomojuCreateSessionBody, KomojuPayment, KomojuPaymentStatus, KomojuSession } from '@paymux/komoju';
import { unifiedCustomer, unifiedProduct, unifiedRequest } from './komoju.fixtures';
import {
  eventToReport,
  KOMOJU_STATUS_TABLE,
  PAYMUX_SESSION_METADATA_KEY,
  sessionToReport,
  toKomojuAmount,
  toKomojuCreateSessionBody,
} from './mapping';

describe('KOMOJU mapping: unified request → POST /sessions body', () => {
  it.each(Object.entries(KOMOJU_CURRENCY_EXPONENTS))('%s: KOMOJU\'s lowest denomination has ISO 4217 exponent %i, so amounts pass unchanged', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
    expect(toKomojuAmount(123456, currency)).toBe(123456);
  });

  it('refuses a currency KOMOJU does not take rather than guessing its unit', () => {
    expect(() => toKomojuAmount(100, 'GBP')).toThrow(InvalidRequest);
  });

  const base = { mode: 'payment', return_url: 'https://shop.example/return', expires_in_seconds: 86400, metadata: { [PAYMUX_SESSION_METADATA_KEY]: 'sess_01JDKOMOJU' } };

  it.each<[string, Parameters<typeof unifiedRequest>[0], Partial<KomojuCreateSessionBody>]>([
    ['JPY amount as is', { amount: 1000, currency: 'JPY' }, { amount: 1000, currency: 'JPY' }],
    ['USD amount in cents as is', { amount: 1050, currency: 'USD' }, { amount: 1050, currency: 'USD' }],
    ['currency in upper case', { currency: 'jpy' }, { currency: 'JPY' }],
    ['expiry', { expiresInSeconds: 600 }, { expires_in_seconds: 600 }],
    ['locale ja', { locale: 'ja' }, { default_locale: 'ja' }],
    ['locale en', { locale: 'en' }, { default_locale: 'en' }],
    ['locale ko', { locale: 'ko' }, { default_locale: 'ko' }],
    ['payment methods', { paymentMethods: ['credit_card', 'konbini'] }, { payment_types: ['credit_card', 'konbini'] }],
    ['default payment method offered first', { paymentMethods: ['credit_card', 'paypay'], defaultPaymentMethod: 'paypay' }, { payment_types: ['paypay', 'credit_card'] }],
    ['metadata plus the paymux session id', { metadata: { cart: '9' } }, { metadata: { cart: '9', [PAYMUX_SESSION_METADATA_KEY]: 'sess_01JDKOMOJU' } }],
    ['a product as one line item', { product: unifiedProduct(), amount: 1000 }, { line_items: [{ description: 'Phone case: Red', amount: 1000, quantity: 1 }] }],
    ['a product without description', { product: unifiedProduct({ description: null }) }, { line_items: [{ description: 'Phone case', amount: 1000, quantity: 1 }] }],
    ['a custom description as one line item', { description: 'Gift card', amount: 3000 }, { line_items: [{ description: 'Gift card', amount: 3000, quantity: 1 }] }],
    ['order id as external_order_num', { orderId: 'ORDER_1' }, { payment_data: { external_order_num: 'ORDER_1' } }],
    ['customer reference and email', { customer: unifiedCustomer() }, { external_customer_id: 'user-981', email: 'user@example.com' }],
    ['customer id when there is no reference', { customer: unifiedCustomer({ reference: null, email: null }) }, { external_customer_id: 'cus_01JD' }],
    ['known KOMOJU customer in customer_payment', { mode: 'customer_payment', customer: unifiedCustomer({ providerCustomers: { komoju: 'kc_1' } }) }, { mode: 'customer_payment', customer_id: 'kc_1', amount: 1000, currency: 'JPY' }],
  ])('maps %s', (_, overrides, expected) => {
    expect(toKomojuCreateSessionBody(unifiedRequest(overrides))).toMatchObject({ ...base, ...expected });
  });

  it('sends no amount, currency or line items in customer mode, and the known KOMOJU customer', () => {
    const body = toKomojuCreateSessionBody(
      unifiedRequest({ mode: 'customer', amount: null, currency: null, description: 'ignored', customer: unifiedCustomer({ providerCustomers: { komoju: 'kc_1' } }) }),
    );
    expect(body).toEqual({ ...base, mode: 'customer', external_customer_id: 'user-981', email: 'user@example.com', customer_id: 'kc_1' });
  });

  it('does not send customer_id in payment mode', () => {
    expect(toKomojuCreateSessionBody(unifiedRequest({ customer: unifiedCustomer({ providerCustomers: { komoju: 'kc_1' } }) }))).not.toHaveProperty('customer_id');
  });
});

describe('KOMOJU mapping: statuses', () => {
  const now = new Date('2026-11-23T10:00:00.000Z');
  const payment = (status: KomojuPaymentStatus, customer: string | null = null): KomojuPayment => ({
    id: 'p1', resource: 'payment', status, amount: 1000, currency: 'JPY', payment_details: { type: 'credit_card' }, session: 's1',
    customer, metadata: { [PAYMUX_SESSION_METADATA_KEY]: 'sess_1' }, external_order_num: null, created_at: now.toISOString(), captured_at: null,
  });
  const session = (overrides: Partial<KomojuSession>): KomojuSession => ({
    id: 's1', resource: 'session', mode: 'payment', amount: 1000, currency: 'JPY', session_url: 'https://komoju.example/sessions/s1', return_url: null,
    default_locale: 'ja', payment_methods: [{ type: 'credit_card' }], status: 'pending', email: null, created_at: '2026-11-23T09:00:00.000Z',
    expires_at: '2026-11-23T11:00:00.000Z', cancelled_at: null, completed_at: null, payment: null, customer_id: null, external_customer_id: null,
    line_items: [], metadata: {}, ...overrides,
  });
  const past = '2026-11-23T09:30:00.000Z';

  it.each<[string, Partial<KomojuSession>, SessionStatus, string | null]>([
    ['pending', {}, 'open', null],
    ['pending past expires_at', { expires_at: past }, 'expired', null],
    ['pending with a failed attempt', { payment: payment('failed') }, 'open', null],
    ['pending with a failed attempt, past expires_at', { payment: payment('failed'), expires_at: past }, 'failed', null],
    ['pending with a payment in progress', { payment: payment('pending') }, 'processing', null],
    ['pending with an expired payment', { payment: payment('expired') }, 'expired', null],
    ['cancelled', { status: 'cancelled', payment: payment('cancelled') }, 'cancelled', null],
    ['completed and authorised', { status: 'completed', payment: payment('authorized') }, 'succeeded', null],
    ['completed and captured', { status: 'completed', payment: payment('captured') }, 'succeeded', null],
    ['completed and refunded later', { status: 'completed', payment: payment('refunded') }, 'succeeded', null],
    ['completed in customer mode', { status: 'completed', mode: 'customer', amount: null, currency: null, customer_id: 'kc_1' }, 'succeeded', 'kc_1'],
    ['completed in customer_payment mode', { status: 'completed', mode: 'customer_payment', customer_id: 'kc_1', payment: payment('captured', 'kc_1') }, 'succeeded', 'kc_1'],
  ])('a session %s is %s', (_, overrides, status, customerId) => {
    const report = sessionToReport(session(overrides), now);
    expect(report).toMatchObject({ providerSessionId: 's1', status, providerCustomerId: customerId });
    expect(KOMOJU_STATUS_TABLE[report.providerStatus as keyof typeof KOMOJU_STATUS_TABLE]).toBe(status);
    expect(report.failure ?? null).toEqual(status === 'failed' ? expect.objectContaining({ code: 'payment_failed' }) : null);
  });

  it.each<[string, KomojuPaymentStatus, SessionStatus]>([
    ['payment.authorized', 'authorized', 'succeeded'],
    ['payment.captured', 'captured', 'succeeded'],
    ['payment.updated', 'pending', 'processing'],
    ['payment.failed', 'failed', 'open'],
    ['payment.expired', 'expired', 'expired'],
    ['payment.cancelled', 'cancelled', 'cancelled'],
  ])('%s makes the session %s', (type, status, expected) => {
    expect(eventToReport(type, payment(status))).toEqual({
      providerSessionId: 's1', paymuxSessionId: 'sess_1',
      report: expect.objectContaining({ providerSessionId: 's1', status: expected }),
    });
  });

  it.each(['customer.created', 'customer.updated'])('%s from a session completes it with the customer linked', (type) => {
    const customer = { id: 'kc_1', resource: 'customer', email: null, external_customer_id: 'u1', session: 's1', metadata: { [PAYMUX_SESSION_METADATA_KEY]: 'sess_1' }, created_at: now.toISOString() };
    expect(eventToReport(type, customer).report).toMatchObject({ status: 'succeeded', providerCustomerId: 'kc_1' });
  });

  it.each(['ping', 'payment.refund.created', 'payment.refunded', 'customer.deleted', 'subscription.captured', 'settlement.created'])('%s changes no session', (type) => {
    expect(eventToReport(type, payment('captured')).report).toBeNull();
  });

  it('a customer event outside any session changes nothing', () => {
    expect(eventToReport('customer.updated', { id: 'kc_1', resource: 'customer', session: null, metadata: {} }).report).toBeNull();
  });
});
