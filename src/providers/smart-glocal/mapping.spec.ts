import { InvalidRequest, SessionStatus } from '@paymux/payments';
import { AcquiringPayment, PAYMENT_STATUSES, Session, SESSION_STATUSES } from '@paymux/smart-glocal';
import {
  notificationDedupeKey,
  paymuxSessionIdOf,
  readCardInput,
  STATUS_TABLE,
  toFollowUp,
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

const threeDs = payment('pending', { id: 'pm_3ds', customer_interaction: { type: 'redirect', redirect: { url: 'https://sg.example/3ds/pm_3ds' } } });

function session(status: Session['status'], payments: AcquiringPayment[] = [], extra: Partial<Session> = {}): Session {
  return { id: 'ps_1', status, created_at: '', updated_at: '', acquiring_payments: payments, ...extra };
}

describe('Smart Glocal mapping', () => {
  describe('unified request → session/create', () => {
    it('sends minor units, a lower-case currency, the customer reference, the return URL and our ids in metadata', () => {
      expect(toSessionCreateRequest(unifiedRequest())).toEqual({
        amount_details: { amount: 10000, currency: 'usd' },
        customer: { reference: 'user-981' },
        payment_options: { return_url: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST' },
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

  describe('the status table: one row per documented session status × payment status', () => {
    // session status, payment status ('none' = no payment), unified status, what the docs say about the cell
    const rows: [Session['status'], 'none' | AcquiringPayment['status'], SessionStatus][] = [
      ['created', 'none', 'open'],
      ['created', 'in_progress', 'open'],
      ['created', 'pending', 'open'],
      ['created', 'succeeded', 'succeeded'],
      ['created', 'failed', 'open'],
      ['in_progress', 'none', 'processing'],
      ['in_progress', 'in_progress', 'processing'],
      ['in_progress', 'pending', 'processing'],
      ['in_progress', 'succeeded', 'succeeded'],
      ['in_progress', 'failed', 'processing'],
      ['accepted', 'none', 'processing'],
      ['accepted', 'in_progress', 'processing'],
      ['accepted', 'pending', 'processing'],
      ['accepted', 'succeeded', 'succeeded'],
      ['accepted', 'failed', 'failed'],
      ['cancelled', 'none', 'cancelled'],
      ['cancelled', 'in_progress', 'cancelled'],
      ['cancelled', 'pending', 'cancelled'],
      ['cancelled', 'succeeded', 'succeeded'],
      ['cancelled', 'failed', 'failed'],
      ['error', 'none', 'processing'],
      ['error', 'in_progress', 'processing'],
      ['error', 'pending', 'processing'],
      ['error', 'succeeded', 'processing'],
      ['error', 'failed', 'processing'],
    ];
    it.each(rows)('session %s with payment %s is %s', (sessionStatus, paymentStatus, expected) => {
      const input = session(sessionStatus, paymentStatus === 'none' ? [] : [payment(paymentStatus)]);
      expect(toUnifiedStatus(input)).toBe(expected);
      expect(STATUS_TABLE[sessionStatus][paymentStatus]).toBe(expected);
    });

    it('has exactly one row per documented status pair', () => {
      expect(Object.keys(STATUS_TABLE).sort()).toEqual([...SESSION_STATUSES].sort());
      for (const row of Object.values(STATUS_TABLE)) expect(Object.keys(row).sort()).toEqual(['none', ...PAYMENT_STATUSES].sort());
      expect(rows).toHaveLength(SESSION_STATUSES.length * (PAYMENT_STATUSES.length + 1));
    });

    it('a payment waiting for 3-D Secure is processing', () => {
      expect(toUnifiedStatus(session('in_progress', [threeDs]))).toBe('processing');
    });

    it('an older succeeded payment wins over a newer failed one', () => {
      expect(toUnifiedStatus(session('cancelled', [payment('succeeded'), { ...payment('failed'), id: 'pm_2' }]))).toBe('succeeded');
    });

    it.each([
      ['an unknown session status', { ...session('in_progress'), status: 'frozen' } as unknown as Session],
      ['an unknown payment status', session('in_progress', [{ ...payment('in_progress'), status: 'weird' } as unknown as AcquiringPayment])],
      ['the old inferred session status succeeded', session('succeeded' as Session['status'], [payment('succeeded')])],
    ])('knows nothing of %s', (_label, input) => {
      expect(toUnifiedStatus(input)).toBeNull();
      expect(toStatusReport(input)).toBeNull();
    });

    it('cancelled + failed carries the payment’s error code and description as the failure, and the amount it states', () => {
      const failed = session('cancelled', [payment('failed', { error: { code: 'card_declined', description: 'Declined by issuer' } })]);
      expect(toStatusReport(failed)).toEqual({
        providerSessionId: 'ps_1',
        status: 'failed',
        providerStatus: 'cancelled/failed',
        failure: { code: 'card_declined', message: 'Declined by issuer', source: 'smart_glocal' },
        amount: { amount: 10000, currency: 'USD' },
        followUp: null,
      });
    });

    it('falls back to a generic failure when the payment gives no reason', () => {
      expect(toStatusReport(session('cancelled', [payment('failed')]))!.failure).toMatchObject({ code: 'payment_failed' });
    });

    it.each([
      ['minor units, upper-cased', { amount: 10000, currency: 'usd' }, { amount: 10000, currency: 'USD' }],
      ['already upper case', { amount: 1, currency: 'RUB' }, { amount: 1, currency: 'RUB' }],
      ['a fraction as it reads, never rounded', { amount: 10.5, currency: 'eur' }, { amount: 10.5, currency: 'EUR' }],
    ])('reports the payment’s amount_details: %s', (_label, details, expected) => {
      expect(toStatusReport(session('accepted', [payment('succeeded', { amount_details: details })]))!.amount).toEqual(expected);
    });

    it('reports no amount when the session has no payment yet', () => {
      expect(toStatusReport(session('created'))!.amount).toBeNull();
    });
  });

  describe('the follow-up call Smart Glocal waits for', () => {
    const pendingConfirm = session('in_progress', [payment('pending')], { next_action: 'confirm' });
    const pendingCapture = session('in_progress', [payment('pending')], { next_action: 'capture' });
    it.each<[string, Session, string | undefined, boolean, string | null]>([
      ['ready_to_confirm', pendingConfirm, 'ready_to_confirm', false, 'confirm'],
      ['ready_to_confirm with automatic confirmation', pendingConfirm, 'ready_to_confirm', true, null],
      ['ready_to_capture', pendingCapture, 'ready_to_capture', false, 'capture'],
      ['ready_to_capture with automatic confirmation', pendingCapture, 'ready_to_capture', true, 'capture'],
      ['session/status with next_action confirm', pendingConfirm, undefined, false, 'confirm'],
      ['session/status with next_action confirm, automatic confirmation', pendingConfirm, undefined, true, null],
      ['session/status with next_action capture', pendingCapture, undefined, false, 'capture'],
      ['action_required', session('in_progress', [threeDs]), 'action_required', false, null],
      ['payment_finished', session('accepted', [payment('succeeded')]), 'payment_finished', false, null],
      ['an unknown next_action', session('in_progress', [], { next_action: 'dance' as Session['next_action'] }), undefined, false, null],
    ])('%s → %s', (_label, input, notificationType, autoConfirmation, expected) => {
      expect(toFollowUp(input, { autoConfirmation, notificationType })).toBe(expected);
    });
  });

  it('finds our session id in the payments’ metadata, not the session’s, and nothing in foreign metadata', () => {
    expect(paymuxSessionIdOf(session('in_progress', [payment('pending', { metadata: { paymux_session_id: 'sess_01TEST' } })]))).toBe('sess_01TEST');
    expect(paymuxSessionIdOf({ ...session('in_progress'), metadata: { paymux_session_id: 'sess_01TEST' } } as Session)).toBeNull();
    expect(paymuxSessionIdOf(session('in_progress', [payment('pending', { metadata: 'donation' })]))).toBeNull();
  });

  it('builds the dedupe key from the type, the session, the deciding payment and its status, and refund ids', () => {
    expect(notificationDedupeKey('payment_finished', session('accepted', [payment('succeeded')]))).toBe('payment_finished:ps_1:accepted:pm_succeeded:succeeded:');
    expect(notificationDedupeKey('ready_to_confirm', session('in_progress', [payment('pending')]))).toBe('ready_to_confirm:ps_1:in_progress:pm_pending:pending:');
    expect(notificationDedupeKey('action_required', session('in_progress', [payment('pending')]))).toBe('action_required:ps_1:in_progress:pm_pending:pending:');
    expect(notificationDedupeKey('payment_refunded', session('accepted', [payment('succeeded', { refunds: [{ id: 'rf_1', status: 'accepted' }] })]))).toBe(
      'payment_refunded:ps_1:accepted:pm_succeeded:succeeded:rf_1/accepted',
    );
    expect(notificationDedupeKey('payment_finished', session('cancelled'))).toBe('payment_finished:ps_1:cancelled:-:-:');
    // Many refunds: the list is kept as its digest, so the key stays short and still changes with each refund.
    const refunded = (n: number) => session('accepted', [payment('succeeded', { refunds: Array.from({ length: n }, (_, i) => ({ id: `rf_${String(i).padStart(16, '0')}`, status: 'accepted' })) })]);
    expect(notificationDedupeKey('payment_refunded', refunded(40)).length).toBeLessThan(255);
    expect(notificationDedupeKey('payment_refunded', refunded(40))).not.toBe(notificationDedupeKey('payment_refunded', refunded(41)));
    // error then cancelled, with the same failed payment, are two notifications.
    expect(notificationDedupeKey('payment_finished', session('error', [payment('failed')]))).not.toBe(notificationDedupeKey('payment_finished', session('cancelled', [payment('failed')])));
  });
});
