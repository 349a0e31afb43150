import { currencyExponent, InvalidRequest, SessionStatus } from '@paymux/payments';
import { KOMOJU_CURRENCY_EXPONENTS, KomojuCreateSessionBody, KomojuPayment, KomojuPaymentStatus, KomojuSession } from '@paymux/komoju';
import { unifiedCustomer, unifiedProduct, unifiedRequest } from './komoju.fixtures';
import {
  eventToReport,
  reservationDeadline,
  isExpiredPendingSession,
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

  const base = { mode: 'payment', return_url: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST', expires_in_seconds: 86400, metadata: { [PAYMUX_SESSION_METADATA_KEY]: 'sess_01JDKOMOJU' } };

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
  /** A Payment with every field the Payments section lists. */
  const payment = (status: KomojuPaymentStatus, fields: Partial<KomojuPayment> = {}): KomojuPayment => ({
    id: 'p1', resource: 'payment', status, amount: 1000, tax: 0, total: 1000, payment_method_fee: 0, currency: 'JPY', customer: null,
    payment_deadline: null, payment_details: { type: 'credit_card' }, description: null, captured_at: null, external_order_num: null,
    metadata: { [PAYMUX_SESSION_METADATA_KEY]: 'sess_1' }, created_at: now.toISOString(), amount_refunded: 0, locale: 'ja', session: 's1',
    refunds: [], refund_requests: [], ...fields,
  });
  const konbini = (status: KomojuPaymentStatus) => payment(status, { payment_details: { type: 'konbini' }, payment_deadline: '2026-11-26T10:00:00.000Z' });

  it.each([
    ['an authorized konbini payment', () => konbini('authorized'), new Date('2026-11-26T10:00:00.000Z')],
    ['an authorized bank_transfer payment', () => payment('authorized', { payment_details: { type: 'bank_transfer' }, payment_deadline: '2026-11-27T00:00:00.000Z' }), new Date('2026-11-27T00:00:00.000Z')],
    ['a captured konbini payment (paid: nothing to wait for)', () => konbini('captured'), null],
    ['an authorized card hold (the merchant captures, no buyer deadline)', () => payment('authorized', { payment_deadline: '2026-11-26T10:00:00.000Z' }), null],
    ['an authorized konbini payment without a deadline', () => payment('authorized', { payment_details: { type: 'konbini' } }), null],
  ])('%s is payable until %s', (_name, make, until) => {
    expect(reservationDeadline(make())).toEqual(until);
    expect(sessionToReport(session({ status: 'completed', payment: make() })).payableUntil).toEqual(until);
  });

  /** A Session with every field the Session object section lists (no `expires_at`). */
  const session = (overrides: Partial<KomojuSession>): KomojuSession => ({
    id: 's1', resource: 'session', mode: 'payment', amount: 1000, currency: 'JPY', session_url: 'https://komoju.example/sessions/s1', return_url: null,
    default_locale: 'ja', payment_methods: [{ type: 'credit_card' }], created_at: '2026-11-23T09:00:00.000Z', cancelled_at: null,
    completed_at: null, status: 'pending', expired: false, metadata: {}, payment: null, payment_data: null, secure_token: 'tok', ...overrides,
  });

  it.each<[string, Partial<KomojuSession>, SessionStatus, string | null]>([
    ['pending', {}, 'open', null],
    ['pending and expired', { expired: true }, 'expired', null],
    ['pending with a failed attempt', { payment: payment('failed') }, 'open', null],
    ['pending with a failed attempt, expired', { payment: payment('failed'), expired: true }, 'failed', null],
    ['pending with a payment in progress', { payment: payment('pending') }, 'processing', null],
    ['cancelled', { status: 'cancelled', cancelled_at: now.toISOString() }, 'cancelled', null],
    ['completed with a konbini payment reserved (authorized)', { status: 'completed', payment: konbini('authorized') }, 'processing', null],
    ['completed with a bank_transfer payment reserved', { status: 'completed', payment: payment('authorized', { payment_details: { type: 'bank_transfer' } }) }, 'processing', null],
    ['completed with a pay_easy payment reserved', { status: 'completed', payment: payment('authorized', { payment_details: { type: 'pay_easy' } }) }, 'processing', null],
    ['completed with a card authorized, awaiting capture', { status: 'completed', payment: payment('authorized') }, 'processing', null],
    ['completed with a payment pending', { status: 'completed', payment: payment('pending') }, 'processing', null],
    ['completed and captured', { status: 'completed', payment: payment('captured') }, 'succeeded', null],
    ['completed with the konbini payment paid at the store', { status: 'completed', payment: konbini('captured') }, 'succeeded', null],
    ['completed with the konbini reservation expired', { status: 'completed', payment: konbini('expired') }, 'expired', null],
    ['completed with the payment cancelled', { status: 'completed', payment: konbini('cancelled') }, 'cancelled', null],
    ['completed and refunded later', { status: 'completed', payment: payment('refunded') }, 'succeeded', null],
    ['completed in customer mode', { status: 'completed', mode: 'customer', amount: null, currency: null, customer_id: 'kc_1' }, 'succeeded', 'kc_1'],
    ['pending in customer mode', { mode: 'customer', amount: null, currency: null, customer_id: 'kc_1' }, 'open', null],
    ['completed in customer_payment mode', { status: 'completed', mode: 'customer_payment', customer_id: 'kc_1', payment: payment('captured', { customer: 'kc_1' }) }, 'succeeded', 'kc_1'],
  ])('a session %s is %s', (_, overrides, status, customerId) => {
    const report = sessionToReport(session(overrides));
    expect(report).toMatchObject({ providerSessionId: 's1', status });
    expect(report.providerCustomerId ?? null).toBe(customerId);
    expect(KOMOJU_STATUS_TABLE[report.providerStatus as keyof typeof KOMOJU_STATUS_TABLE]).toBe(status);
    expect(report.failure ?? null).toEqual(status === 'failed' ? expect.objectContaining({ code: 'payment_failed' }) : null);
  });

  it('the expiry choice is one constant: pending and expired, nothing else', () => {
    expect(isExpiredPendingSession({ status: 'pending', expired: true })).toBe(true);
    expect(isExpiredPendingSession({ status: 'pending', expired: false })).toBe(false);
    expect(isExpiredPendingSession({ status: 'completed', expired: true })).toBe(false);
  });

  it.each<[string, KomojuPayment, SessionStatus]>([
    ['payment.authorized (card hold)', payment('authorized'), 'processing'],
    ['payment.authorized (konbini reserved)', konbini('authorized'), 'processing'],
    ['payment.captured', payment('captured'), 'succeeded'],
    ['payment.captured (paid at the store)', konbini('captured'), 'succeeded'],
    ['payment.updated', payment('pending'), 'processing'],
    ['payment.failed', payment('failed'), 'open'],
    ['payment.expired', konbini('expired'), 'expired'],
    ['payment.cancelled', konbini('cancelled'), 'cancelled'],
  ])('%s makes the session %s', (label, data, expected) => {
    const type = label.split(' ')[0];
    expect(eventToReport(type, data)).toEqual({
      providerSessionId: 's1', paymuxSessionId: 'sess_1', providerCustomerId: null, confirmWithProvider: false,
      report: expect.objectContaining({ providerSessionId: 's1', status: expected, amount: { amount: 1000, currency: 'JPY' } }),
    });
  });

  it.each<[string, Partial<KomojuPayment>, { amount: number; currency: string }]>([
    ['JPY (exponent 0) as is', { amount: 1000, currency: 'JPY' }, { amount: 1000, currency: 'JPY' }],
    ['USD cents (exponent 2) as is', { amount: 1050, currency: 'USD' }, { amount: 1050, currency: 'USD' }],
    ['a lower-case currency in upper case', { amount: 1050, currency: 'usd' }, { amount: 1050, currency: 'USD' }],
    ['a currency paymux does not know, as it reads', { amount: 7, currency: 'XYZ' }, { amount: 7, currency: 'XYZ' }],
  ])('reports the amount the payment states: %s', (_, fields, amount) => {
    expect(eventToReport('payment.captured', payment('captured', fields)).report?.amount).toEqual(amount);
    expect(sessionToReport(session({ status: 'completed', payment: payment('captured', fields) })).amount).toEqual(amount);
  });

  it('reports the session amount when there is no payment yet, and none in customer mode', () => {
    expect(sessionToReport(session({})).amount).toEqual({ amount: 1000, currency: 'JPY' });
    expect(sessionToReport(session({ mode: 'customer', amount: null, currency: null })).amount).toBeNull();
  });

  it.each(['customer.created', 'customer.updated'])('%s names no session: matched by data.id and confirmed with GET /sessions/{id}', (type) => {
    const customer = { id: 'kc_1', resource: 'customer', email: null, source: null, metadata: {}, created_at: now.toISOString(), locale: 'ja' };
    expect(eventToReport(type, customer)).toEqual({ providerSessionId: null, paymuxSessionId: null, providerCustomerId: 'kc_1', report: null, confirmWithProvider: true });
  });

  it.each(['ping', 'payment.refund.created', 'payment.refunded', 'customer.deleted', 'subscription.captured', 'settlement.created'])('%s changes no session', (type) => {
    const mapped = eventToReport(type, payment('captured'));
    expect(mapped.report).toBeNull();
    expect(mapped.confirmWithProvider).toBe(false);
  });
});
