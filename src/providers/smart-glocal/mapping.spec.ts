import { InvalidRequest, SessionStatus } from '@paymux/payments';
import type { AcquiringPayment, Session } from '@paymux/smart-glocal';
import {
  notificationDedupeKey,
  paymuxSessionIdOf,
  readCardInput,
  redirectAfterInitPayment,
  toSessionCreateRequest,
  toSessionInitPaymentRequest,
  toStatusReport,
  toUnifiedStatus,
} from './mapping';
import { CARD, customer, unifiedRequest } from './unified-request.fixture';

function payment(status: AcquiringPayment['status'], extra: Partial<AcquiringPayment> = {}): AcquiringPayment {
  return {
    id: `pm_${status}`,
    status,
    created_at: '2026-01-01T00:00:00.000Z',
    customer: { reference: 'user-981' },
    payment_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    amount_details: { amount: 10000, currency: 'usd' },
    ...extra,
  };
}

const threeDs = payment('in_progress', { id: 'pm_3ds', customer_interaction: { type: 'redirect', redirect: { url: 'https://sg.example/3ds/pm_3ds' } } });

function session(status: Session['status'], payments: AcquiringPayment[] = []): Session {
  return { id: 'ps_1', status, created_at: '', updated_at: '', acquiring_payments: payments, metadata: { paymux_session_id: 'sess_01TEST' } };
}

describe('Smart Glocal mapping', () => {
  describe('unified request → session/create', () => {
    it('sends minor units, a lower-case currency, the customer reference, the return URL and our ids in metadata', () => {
      expect(toSessionCreateRequest(unifiedRequest())).toEqual({
        amount_details: { amount: 10000, currency: 'usd' },
        customer: { reference: 'user-981' },
        payment_options: { return_url: 'https://shop.example/return' },
        metadata: { paymux_session_id: 'sess_01TEST', paymux_order_id: 'ORDER_1' },
      });
    });

    it.each([
      ['USD', 1, 'usd'], ['EUR', 2500, 'eur'], ['GBP', 999, 'gbp'], ['RUB', 500000, 'rub'], ['AMD', 500000, 'amd'],
    ])('keeps %s %i as minor units with currency %s', (currency, amount, sent) => {
      expect(toSessionCreateRequest(unifiedRequest({ currency, amount })).amount_details).toEqual({ amount, currency: sent });
    });

    it('uses the customer id when the customer has no reference', () => {
      expect(toSessionCreateRequest(unifiedRequest({ customer: customer({ reference: null }) })).customer).toEqual({ reference: 'cus_01TEST' });
    });

    it('leaves the order id out of metadata when there is none', () => {
      expect(toSessionCreateRequest(unifiedRequest({ orderId: null })).metadata).toEqual({ paymux_session_id: 'sess_01TEST' });
    });

    it.each([
      ['no customer', { customer: null }, 'customer'],
      ['an unsupported currency', { currency: 'JPY' }, 'currency'],
      ['a zero amount', { amount: 0 }, 'amount'],
      ['a fractional amount', { amount: 10.5 }, 'amount'],
      ['no amount', { amount: null }, 'amount'],
    ])('refuses %s with InvalidRequest on %s', (_label, overrides, param) => {
      expect(() => toSessionCreateRequest(unifiedRequest(overrides))).toThrow(InvalidRequest);
      try {
        toSessionCreateRequest(unifiedRequest(overrides));
      } catch (error) {
        expect((error as InvalidRequest).param).toBe(param);
      }
    });
  });

  describe('unified request + card → session/init/payment', () => {
    it('adds the documented card payment_details', () => {
      expect(toSessionInitPaymentRequest(unifiedRequest(), CARD)).toMatchObject({
        payment_details: { type: 'card', card: { type: 'bank_card', bank_card: CARD } },
        amount_details: { amount: 10000, currency: 'usd' },
        customer: { reference: 'user-981' },
      });
    });

    it.each([
      [{ ...CARD, number: '4242 4242 4242 4242' }, { number: '4242424242424242' }],
      [{ ...CARD, expiration_month: 5 }, { expiration_month: '05' }],
      [{ ...CARD, expiration_year: '2045' }, { expiration_year: '45' }],
    ])('normalises %p', (input, expected) => {
      expect(readCardInput(input)).toMatchObject(expected);
    });

    it.each([
      ['number', { ...CARD, number: '4242' }],
      ['expiration_month', { ...CARD, expiration_month: '13' }],
      ['expiration_year', { ...CARD, expiration_year: '202' }],
      ['security_code', { ...CARD, security_code: '98' }],
      ['security_code', { ...CARD, security_code: undefined }],
      ['', 'a string'],
    ])('refuses a bad %s without echoing the card', (field, input) => {
      let thrown: unknown;
      try {
        readCardInput(input);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidRequest);
      expect((thrown as InvalidRequest).message).toContain(`payment_details.card${field ? `.${field}` : ''}`);
      const text = JSON.stringify(thrown) + (thrown as Error).message;
      for (const secret of ['4242', '987', '98']) expect(text).not.toContain(secret);
    });
  });

  describe('the status table', () => {
    it.each<[string, SessionStatus, Session]>([
      ['in_progress, no payment', 'open', session('in_progress')],
      ['in_progress, payment in progress', 'processing', session('in_progress', [payment('in_progress')])],
      ['in_progress, payment waiting for 3-D Secure', 'processing', session('in_progress', [threeDs])],
      ['in_progress, payment succeeded', 'succeeded', session('in_progress', [payment('succeeded')])],
      ['in_progress, payment failed', 'failed', session('in_progress', [payment('failed')])],
      ['succeeded', 'succeeded', session('succeeded', [payment('succeeded')])],
      ['failed', 'failed', session('failed', [payment('failed')])],
      ['failed, no payment', 'failed', session('failed')],
      ['cancelled, no payment', 'cancelled', session('cancelled')],
      ['cancelled, but a payment succeeded', 'succeeded', session('cancelled', [payment('succeeded')])],
      ['an older succeeded payment and a newer failed one', 'succeeded', session('in_progress', [payment('succeeded'), payment('failed')])],
    ])('maps %s to %s', (_label, expected, input) => {
      expect(toUnifiedStatus(input)).toBe(expected);
    });

    it.each([
      ['an unknown session status', { ...session('in_progress'), status: 'frozen' } as unknown as Session],
      ['an unknown payment status', session('in_progress', [{ ...payment('in_progress'), status: 'weird' } as unknown as AcquiringPayment])],
    ])('knows nothing of %s', (_label, input) => {
      expect(toUnifiedStatus(input)).toBeNull();
      expect(toStatusReport(input)).toBeNull();
    });

    it('carries the failure code and message from the payment', () => {
      const failed = session('failed', [payment('failed', { error: { code: 'card_declined', description: 'Declined by issuer' } })]);
      expect(toStatusReport(failed)).toEqual({
        providerSessionId: 'ps_1',
        status: 'failed',
        providerStatus: 'failed/failed',
        failure: { code: 'card_declined', message: 'Declined by issuer', source: 'smart_glocal' },
      });
    });

    it('falls back to a generic failure when the payment gives no reason', () => {
      expect(toStatusReport(session('failed'))!.failure).toMatchObject({ code: 'payment_failed' });
    });
  });

  it('finds our session id in metadata, and nothing in foreign metadata', () => {
    expect(paymuxSessionIdOf(session('in_progress'))).toBe('sess_01TEST');
    expect(paymuxSessionIdOf({ ...session('in_progress'), metadata: 'donation' })).toBeNull();
  });

  it('builds the dedupe key from the session, the payment and its status', () => {
    expect(notificationDedupeKey(session('succeeded', [payment('succeeded')]))).toBe('ps_1:pm_succeeded:succeeded');
    expect(notificationDedupeKey(session('cancelled'))).toBe('ps_1:-:cancelled');
  });

  it('sends the buyer to 3-D Secure when asked, else back to the shop', () => {
    expect(redirectAfterInitPayment(session('in_progress', [threeDs]), 'https://shop.example/r')).toBe('https://sg.example/3ds/pm_3ds');
    expect(redirectAfterInitPayment(session('in_progress', [payment('in_progress')]), 'https://shop.example/r')).toBe('https://shop.example/r');
  });
});
