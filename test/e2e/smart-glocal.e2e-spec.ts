import { HttpService } from '@nestjs/axios';
import { AcquiringPayment, generateRsaKeyPair, HEADERS, Session as SmartGlocalSession, SMART_GLOCAL_METHODS, signBody, TEST_CARDS, WIDGET, WIDGET_PAY_PATH } from '@paymux/smart-glocal';
import type { InternalAxiosRequestConfig } from 'axios';
import request from 'supertest';
import { Customer } from '../../src/customers/customer.entity';
const SMART_GLOCAL_SIMULATOR_PREFIX = '/simulators/smart-glocal';
import { Session } from '../../src/sessions/session.entity';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { followReturn } from '../support/buyer-return';
import {
  card,
  CVC,
  eventsOf,
  fastResends,
  notificationBody,
  PAN,
  postNotification,
  RETURN_URL,
  sessionBody,
  sessionNow,
  simulatorCalls,
  simulatorOf,
  smartGlocal,
  waitForStatus,
} from '../support/smart-glocal';


/** What the widget script does: read the token from the page, post the card to the widget's host. */
async function payInWidget(app: TestApp, redirectUrl: string, cardNumber: string) {
  const page = await request(redirectUrl).get('').expect(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  const scriptUrl = /<script src="([^"]+)"><\/script>/.exec(page.text)?.[1];
  expect(scriptUrl).toBe(`${app.url}${SMART_GLOCAL_SIMULATOR_PREFIX}/${WIDGET.script}`);
  const script = await fetch(scriptUrl!);
  expect(script.status).toBe(200);
  expect(await script.text()).toContain(`window.${WIDGET.globalName} = ${WIDGET.globalName}`);
  const token = new RegExp(`new window\\.${WIDGET.globalName}\\(("[^"]+")`).exec(page.text)?.[1];
  expect(token).toBeDefined();
  const widgetBase = scriptUrl!.slice(0, -`/${WIDGET.script}`.length);
  const answer = await fetch(`${widgetBase}${WIDGET_PAY_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ public_token: JSON.parse(token!), card: { number: cardNumber, expiration_month: '12', expiration_year: '31', security_code: '123' } }),
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as { status: string; payment_id: string; redirect_url: string };
}

describe('Smart Glocal, hosted flow (the default: no card data in paymux)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    fastResends(app);
  });
  afterAll(() => app.close());
  afterEach(() => simulatorOf(app).faults.reset());

  it('sends the buyer to paymux’s pay page, which loads the widget; paying there makes the session succeeded by a signed notification', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    expect(created).toMatchObject({ provider: 'smart_glocal', status: 'open', amount: 2500, currency: 'USD', redirect_url: `${app.url}/pay/${created.id}` });
    expect(simulatorOf(app).getSession(created.provider_session_id).status).toBe('created');
    expect(simulatorOf(app).requestOf(created.provider_session_id)).toEqual({
      amount_details: { amount: 2500, currency: 'usd' },
      customer: { reference: 'buyer-42' },
      // Back to paymux's pay page after the widget: it waits for the outcome and shows it.
      payment_options: { return_url: created.redirect_url },
      metadata: { paymux_session_id: created.id, paymux_order_id: created.order_id },
    });

    const paid = await payInWidget(app, created.redirect_url, TEST_CARDS.succeeds);
    expect(paid).toMatchObject({ status: 'ok', redirect_url: created.redirect_url });

    const done = await waitForStatus(app, created.id, 'succeeded');
    expect(done.completed_at).not.toBeNull();
    // ready_to_confirm (processing, answered with session/confirm), then payment_finished.
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'processing', 'webhook'], ['processing', 'succeeded', 'webhook']]);
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession)).toBeGreaterThanOrEqual(1);
    expect(simulatorOf(app).getSession(created.provider_session_id)).toMatchObject({ status: 'accepted', acquiring_payments: [{ status: 'succeeded' }] });
    const inbound = await app.em().find(InboundWebhook, { sessionId: created.id }, { orderBy: { receivedAt: 'asc' } });
    expect(inbound.map((w) => [w.eventType, w.outcome])).toEqual([['ready_to_confirm', 'applied'], ['payment_finished', 'applied']]);

    // Paid: the pay page sends the buyer on to return_url, with paymux's id.
    const closed = await request(created.redirect_url).get('').expect(303);
    expect(await followReturn(app.url, created.id, closed.headers.location)).toBe(`${RETURN_URL}?paymux_session_id=${created.id}`);
  });

  it('a declined payment in the widget makes the session failed with the decline reason', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody({ cancel_url: 'https://shop.example/cart' })).expect(201)).body;
    await payInWidget(app, created.redirect_url, TEST_CARDS.declined);
    const failed = await waitForStatus(app, created.id, 'failed');
    expect(failed.failure).toEqual({ code: 'card_declined', message: 'The card was declined by the issuer', source: 'smart_glocal' });
    expect((await eventsOf(app, created.id)).pop()).toEqual(['processing', 'failed', 'webhook']);
    // The buyer back on the pay page is told, and goes back to cancel_url from there.
    const told = await request(created.redirect_url).get('').expect(200);
    expect(told.text).toContain('<h1>Payment declined</h1><p>The card was declined by the issuer</p>');
    expect(told.text).toContain('<p class="amount">$25.00</p>');
    const back = /<a class="button" href="([^"]+)">Back to the shop<\/a>/.exec(told.text)![1];
    expect(await followReturn(app.url, created.id, back)).toBe(`https://shop.example/cart?paymux_session_id=${created.id}`);
  });

  it('a payment Smart Glocal reports for another amount fails the session, and the pay page never tells the buyer nothing was taken', async () => {
    simulatorOf(app).account.set({ chargedAmountOffset: 1 });
    try {
      const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      await payInWidget(app, created.redirect_url, TEST_CARDS.succeeds);
      const failed = await waitForStatus(app, created.id, 'failed');
      expect(failed.failure).toMatchObject({ code: 'amount_mismatch' });
      const page = await request(created.redirect_url).get('').expect(200);
      expect(page.text).toContain('<h1>Payment not completed</h1>');
      expect(page.text).not.toContain('No money was taken');
    } finally {
      simulatorOf(app).account.set({ chargedAmountOffset: 0 });
    }
  });

  it('a second app in the same process has its own provider registry and simulator', async () => {
    const second = await startTestApp();
    try {
      const created = (await second.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      expect(created.redirect_url).toBe(`${second.url}/pay/${created.id}`);
      expect(simulatorOf(second).sessionCount()).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('takes the customer’s id as customer.reference when the customer has no reference', async () => {
    const customer = (await app.api().post('/v1/customers', { email: 'noref@example.com' }).expect(201)).body;
    const created = (await app.api().post('/v1/sessions', sessionBody({ customer: undefined, customer_id: customer.id })).expect(201)).body;
    expect(simulatorOf(app).requestOf(created.provider_session_id).customer).toEqual({ reference: customer.id });
  });

  const failedPayment = { status: 'failed' as const, error: { code: 'insufficient_funds', description: 'Not enough money' } };
  const paymentRows: [string, string, SmartGlocalSession['status'], Partial<AcquiringPayment>[], string, string][] = [
    ['ready_to_confirm: in_progress with a pending payment makes it processing', 'ready_to_confirm', 'in_progress', [{ status: 'pending' }], 'processing', 'applied'],
    ['action_required: a payment waiting for 3-D Secure makes it processing', 'action_required', 'in_progress', [{ status: 'pending', customer_interaction: { type: 'redirect', redirect: { url: 'https://3ds.example/x' } } }], 'processing', 'applied'],
    ['payment_finished accepted + succeeded makes it succeeded', 'payment_finished', 'accepted', [{ status: 'succeeded' }], 'succeeded', 'applied'],
    ['payment_finished cancelled + failed makes it failed with the payment’s error', 'payment_finished', 'cancelled', [failedPayment], 'failed', 'applied'],
    ['payment_finished error + failed is not final: processing', 'payment_finished', 'error', [failedPayment], 'processing', 'applied'],
    ['payment_finished cancelled without a payment makes it cancelled', 'payment_finished', 'cancelled', [], 'cancelled', 'applied'],
    ['payment_finished cancelled, but an older payment succeeded, makes it succeeded', 'payment_finished', 'cancelled', [{ status: 'succeeded' }, failedPayment], 'succeeded', 'applied'],
    ['a created session leaves it open', 'payment_finished', 'created', [], 'open', 'unchanged'],
  ];
  it.each(paymentRows)('a notification: %s', async (_name, type, status, payments, expected, outcome) => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    const body = notificationBody(app, created.provider_session_id, status, payments, type, created.id);
    const res = await postNotification(app, body, simulatorOf(app).signNotification(body)).expect(200);
    expect(res.body).toEqual({ received: true, outcome });
    const session = await sessionNow(app, created.id);
    expect(session.status).toBe(expected);
    if (expected === 'failed') expect(session.failure).toEqual({ code: 'insufficient_funds', message: 'Not enough money', source: 'smart_glocal' });
    const events = await eventsOf(app, created.id);
    expect(events).toEqual(expected === 'open' ? [[null, 'open', 'api']] : [[null, 'open', 'api'], ['open', expected, 'webhook']]);
  });

  it('error, then accepted (the error knob): processing first, then succeeded; never failed', async () => {
    const simulator = simulatorOf(app);
    simulator.account.set({ errorFirst: true, errorForMs: 50 });
    try {
      const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      const paid = await payInWidget(app, created.redirect_url, TEST_CARDS.succeeds);
      expect(paid.status).toBe('ok');
      await waitForStatus(app, created.id, 'succeeded');
      await simulator.idle();
      const types = simulator.deliveries.filter((d) => d.body.includes(created.provider_session_id)).map((d) => JSON.parse(d.body) as { type: string; session: { status: string } });
      expect(types.map((d) => [d.type, d.session.status])).toEqual([['ready_to_confirm', 'in_progress'], ['payment_finished', 'error'], ['payment_finished', 'accepted']]);
      expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'processing', 'webhook'], ['processing', 'succeeded', 'webhook']]);
    } finally {
      simulator.account.reset();
    }
  });

  it('an unknown notification type gets 200 and changes nothing, for a known session and for an unknown one', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    const known = notificationBody(app, created.provider_session_id, 'accepted', [{ status: 'succeeded' }], 'payout_finished', created.id);
    expect((await postNotification(app, known, simulatorOf(app).signNotification(known)).expect(200)).body).toEqual({ received: true, outcome: 'ignored' });
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api']]);

    const stranger = Buffer.from(JSON.stringify({ type: 'payout_finished', session: { id: 'ps_stranger', status: 'accepted', created_at: '', updated_at: '', acquiring_payments: [] } }));
    expect((await postNotification(app, stranger, simulatorOf(app).signNotification(stranger)).expect(200)).body).toEqual({ received: true, outcome: 'unknown_session' });
    const unknownStatus = notificationBody(app, created.provider_session_id, 'frozen' as SmartGlocalSession['status'], [], 'payment_finished', created.id);
    expect((await postNotification(app, unknownStatus, simulatorOf(app).signNotification(unknownStatus)).expect(200)).body).toEqual({ received: true, outcome: 'ignored' });
    expect((await sessionNow(app, created.id)).status).toBe('open');
  });

  it('out of order: payment_finished before ready_to_confirm leaves it succeeded and confirms nothing', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    const confirmsBefore = simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession);
    const finished = notificationBody(app, created.provider_session_id, 'accepted', [{ status: 'succeeded' }], 'payment_finished', created.id);
    const ready = Buffer.from(JSON.stringify({ ...JSON.parse(notificationBody(app, created.provider_session_id, 'in_progress', [{ status: 'pending' }], 'ready_to_confirm', created.id).toString()), type: 'ready_to_confirm' }));
    await postNotification(app, finished, simulatorOf(app).signNotification(finished)).expect(200);
    const late = await postNotification(app, ready, simulatorOf(app).signNotification(ready)).expect(200);
    expect(late.body.received).toBe(true);
    expect((await sessionNow(app, created.id)).status).toBe('succeeded');
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession)).toBe(confirmsBefore);
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'succeeded', 'webhook']]);
  });

  it('payment_refunded (a partial refund, then a chargeback) is recorded once each as a refund and leaves the paid session succeeded', async () => {
    const simulator = simulatorOf(app);
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    simulator.pay(created.provider_session_id);
    await simulator.idle();
    expect((await sessionNow(app, created.id)).status).toBe('succeeded');

    // One after the other, so each notification brings one new refund (made at once, either
    // notification may carry both, and the later one then rightly changes nothing).
    const refund = simulator.refund(created.provider_session_id, { amount: 100 });
    await simulator.idle();
    const chargeback = simulator.refund(created.provider_session_id, { chargeback: true });
    await simulator.idle();
    expect(refund).toMatchObject({ id: expect.stringMatching(/^rf_/), status: 'accepted', is_chargeback: false, amount_details: { amount: 100 } });
    expect(chargeback).toMatchObject({ is_chargeback: true });
    expect(simulator.getSession(created.provider_session_id)).toMatchObject({ status: 'accepted', acquiring_payments: [{ status: 'succeeded', refunds: [{ id: refund.id }, { id: chargeback.id }] }] });
    const refunded = await app.em().find(InboundWebhook, { sessionId: created.id, eventType: 'payment_refunded' }, { orderBy: { id: 'asc' } });
    expect(refunded.map((w) => w.outcome)).toEqual(['applied', 'applied']);
    const refunds = (await app.api().get(`/v1/sessions/${created.id}/refunds`).expect(200)).body.data;
    expect(refunds.map((r: { provider_refund_id: string; chargeback: boolean; initiated_by: string }) => [r.provider_refund_id, r.chargeback, r.initiated_by]))
      .toEqual([[chargeback.id, true, 'provider'], [refund.id, false, 'provider']]);
    expect((await sessionNow(app, created.id)).status).toBe('succeeded');
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'succeeded', 'webhook']]);
  });

  it('applies a duplicated notification once: one session event', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    const body = notificationBody(app, created.provider_session_id, 'in_progress', [{ status: 'in_progress' }], 'payment_finished', created.id);
    const signature = simulatorOf(app).signNotification(body);
    expect((await postNotification(app, body, signature).expect(200)).body.outcome).toBe('applied');
    expect((await postNotification(app, body, signature).expect(200)).body.outcome).toBe('duplicate');
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'processing', 'webhook']]);
  });

  it('applies notifications the simulator sends twice (duplicate knob) once', async () => {
    const simulator = simulatorOf(app);
    simulator.faults.set({ duplicateCallbacks: true });
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    simulator.pay(created.provider_session_id);
    await simulator.idle();
    expect((await sessionNow(app, created.id)).status).toBe('succeeded');
    const deliveries = simulator.deliveries.filter((d) => d.body.includes(created.provider_session_id));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    expect((await eventsOf(app, created.id)).filter(([, to]) => to === 'succeeded')).toHaveLength(1);
  });

  describe('a forged notification is refused with 401 and changes nothing', () => {
    const forgeries: [string, (app: TestApp, body: Buffer) => { body: Buffer; signature: string | null }][] = [
      ['signed with another key', (_app, body) => ({ body, signature: signBody(body, generateRsaKeyPair().privateKeyPem) })],
      [
        'one byte of the body altered after signing',
        (app, body) => {
          const signature = simulatorOf(app).signNotification(body);
          const altered = Buffer.from(body);
          const at = altered.indexOf('"succeeded"') + 1;
          altered[at] = 'S'.charCodeAt(0);
          return { body: altered, signature };
        },
      ],
      ['without a signature', (_app, body) => ({ body, signature: null })],
      ['with a garbled signature', (_app, body) => ({ body, signature: 'not base64!' })],
    ];
    it.each(forgeries)('%s', async (_name, forge) => {
      const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      const forged = forge(app, notificationBody(app, created.provider_session_id, 'accepted', [{ status: 'succeeded' }], 'payment_finished', created.id));
      const res = await postNotification(app, forged.body, forged.signature).expect(401);
      expect(res.body).toEqual(apiError('authentication_error'));
      const session = await sessionNow(app, created.id);
      expect(session).toMatchObject({ status: 'open', completed_at: null });
      expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api']]);
      const rows = await app.em().find(InboundWebhook, { provider: 'smart_glocal', rawBody: forged.body.toString('utf8') });
      expect(rows.map((r) => [r.outcome, r.sessionId])).toEqual([['rejected', null]]);
    });

    it('notifications the simulator signs with a wrong key (knob) are all refused', async () => {
      const simulator = simulatorOf(app);
      simulator.faults.set({ wrongSignature: true });
      const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      simulator.pay(created.provider_session_id);
      await simulator.idle();
      const deliveries = simulator.deliveries.filter((d) => d.body.includes(created.provider_session_id));
      expect(deliveries.map((d) => d.status)).toEqual([401, 401]);
      expect((await sessionNow(app, created.id)).status).toBe('open');
      expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api']]);
    });
  });

  describe('X-PARTNER-SIGN covers the exact bytes sent', () => {
    it('the simulator takes a body signed with the merchant key and answers 401 when one byte changes after signing', async () => {
      const { merchantPrivateKeyPem } = smartGlocal(app);
      const url = `${app.url}${SMART_GLOCAL_SIMULATOR_PREFIX}/api/v1/${SMART_GLOCAL_METHODS.createSession}`;
      const body = Buffer.from(JSON.stringify({ amount_details: { amount: 100, currency: 'usd' }, customer: { reference: 'raw' } }));
      const signature = signBody(body, merchantPrivateKeyPem);
      const send = (bytes: Buffer) =>
        request(url).post('').set('content-type', 'application/json').set(HEADERS.project, 'paymux-dev').set(HEADERS.sign, signature).send(bytes.toString('utf8'));

      expect((await send(body).expect(200)).body.status).toBe('ok');
      const tampered = Buffer.from(body);
      tampered[tampered.indexOf('100') + 2] = '1'.charCodeAt(0);
      expect((await send(tampered).expect(401)).body).toEqual({ status: 'error', error: { code: 'invalid_signature', description: expect.any(String) } });
    });

    it('a byte changed in transit after the client signed makes the API answer 502 with Smart Glocal’s code, and the session failed', async () => {
      const simulator = simulatorOf(app);
      const rejectedBefore = simulator.rejectedRequests;
      const axios = app.paymux.app.get(HttpService).axiosRef;
      const tamper = axios.interceptors.request.use((config: InternalAxiosRequestConfig) => {
        if (Buffer.isBuffer(config.data) && String(config.url).endsWith(SMART_GLOCAL_METHODS.createSession)) {
          const bytes = Buffer.from(config.data);
          const at = bytes.indexOf('"amount":') + '"amount":'.length;
          bytes[at] = bytes[at] === 0x39 ? 0x38 : bytes[at] + 1;
          config.data = bytes;
        }
        return config;
      });
      let res: request.Response;
      try {
        res = await app.api().post('/v1/sessions', sessionBody({ order_id: 'sg-tampered' })).expect(502);
      } finally {
        axios.interceptors.request.eject(tamper);
      }
      expect(res.body).toEqual({ error: expect.objectContaining({ type: 'provider_error', code: 'invalid_signature', provider: 'smart_glocal' }) });
      expect(simulator.rejectedRequests).toBe(rejectedBefore + 1);
      const [stored] = (await app.api().get('/v1/sessions?order_id=sg-tampered').expect(200)).body.data;
      expect(stored).toMatchObject({ status: 'failed', provider_session_id: null, failure: { code: 'invalid_signature', source: 'provider' } });
    });
  });

  describe('bad input: 400 naming the field, nothing stored, nothing sent', () => {
    const rows: [string, Record<string, unknown>, string][] = [
      ['a session without a customer', { customer: undefined }, 'customer'],
      ['a currency Smart Glocal does not take', { currency: 'JPY' }, 'currency'],
      ['an amount of zero', { amount: 0 }, 'amount'],
      ['card data while it is not allowed', { payment_details: card(PAN) }, 'payment_details'],
      ['a locale it does not take', { locale: 'hy' }, 'locale'],
      ['a payment method it does not take', { payment_methods: ['bank_transfer'] }, 'payment_methods'],
      ['a default method it does not take', { default_payment_method: 'wallet' }, 'default_payment_method'],
      ['a mode it does not take', { mode: 'customer_payment' }, 'mode'],
      ['expires_in_seconds below its bounds', { expires_in_seconds: 299 }, 'expires_in_seconds'],
      ['expires_in_seconds above its bounds', { expires_in_seconds: 86_401 }, 'expires_in_seconds'],
    ];
    it.each(rows)('%s', async (_name, overrides, param) => {
      const sessionsBefore = await app.em().count(Session, {});
      const customersBefore = await app.em().count(Customer, {});
      const callsBefore = simulatorCalls(app);
      const res = await app.api().post('/v1/sessions', sessionBody({ ...overrides, customer: 'customer' in overrides ? overrides.customer : { reference: 'bad-input-buyer' } })).expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error', { param }));
      expect(res.text).not.toContain(PAN);
      expect(res.text).not.toContain(CVC);
      expect(await app.em().count(Session, {})).toBe(sessionsBefore);
      expect(await app.em().count(Customer, {})).toBe(customersBefore);
      expect(simulatorCalls(app)).toBe(callsBefore);
    });
  });

  describe('provider faults: the session is stored failed with the reason', () => {
    it('a 500 from Smart Glocal (error-rate knob) is a 502 provider_error naming smart_glocal', async () => {
      simulatorOf(app).faults.set({ errorRate: 1 });
      const res = await app.api().post('/v1/sessions', sessionBody({ order_id: 'sg-error-rate' })).expect(502);
      expect(res.body).toEqual({ error: expect.objectContaining({ type: 'provider_error', code: 'provider_server_error', provider: 'smart_glocal' }) });
      const [stored] = (await app.api().get('/v1/sessions?order_id=sg-error-rate').expect(200)).body.data;
      expect(stored).toMatchObject({ status: 'failed', failure: { code: 'provider_server_error', message: expect.any(String), source: 'provider' } });
      expect(await eventsOf(app, stored.id)).toEqual([[null, 'open', 'api'], ['open', 'failed', 'api']]);
    });
  });

  describe('sync and cancel', () => {
    it('sync reads the session from Smart Glocal and applies a payment no notification reported', async () => {
      const simulator = simulatorOf(app);
      const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      expect((await app.api().post(`/v1/sessions/${created.id}/sync`).expect(200)).body.status).toBe('open');
      simulator.setNotificationUrl(undefined);
      try {
        simulator.pay(created.provider_session_id);
        await simulator.idle();
      } finally {
        simulator.setNotificationUrl(`${app.url}/v1/webhooks/smart-glocal`);
      }
      expect((await sessionNow(app, created.id)).status).toBe('open');
      const statusCallsBefore = simulator.requestCount(SMART_GLOCAL_METHODS.sessionStatus);
      const synced = (await app.api().post(`/v1/sessions/${created.id}/sync`).expect(200)).body;
      expect(synced.status).toBe('succeeded');
      expect(simulator.requestCount(SMART_GLOCAL_METHODS.sessionStatus)).toBe(statusCallsBefore + 1);
      expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'succeeded', 'sync']]);
    });

    it('cancel cancels at Smart Glocal too, and a second cancel is a 409', async () => {
      const simulator = simulatorOf(app);
      const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      const cancelled = (await app.api().post(`/v1/sessions/${created.id}/cancel`).expect(200)).body;
      expect(cancelled.status).toBe('cancelled');
      expect(simulator.getSession(created.provider_session_id).status).toBe('cancelled');
      expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'cancelled', 'api']]);
      const again = await app.api().post(`/v1/sessions/${created.id}/cancel`).expect(409);
      expect(again.body).toEqual(apiError('conflict_error'));
      expect((await request(created.redirect_url).get('').expect(200)).text).toContain('no longer open');
    });

    it('cancel while the buyer is in 3-D Secure: Smart Glocal refuses, 502 with its code, and the session shows the payment in progress', async () => {
      const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
      const paying = await payInWidget(app, created.redirect_url, TEST_CARDS.requires3ds);
      expect(paying.redirect_url).toContain('/3ds/');
      const res = await app.api().post(`/v1/sessions/${created.id}/cancel`).expect(502);
      expect(res.body).toEqual({ error: expect.objectContaining({ type: 'provider_error', code: 'invalid_session_state', provider: 'smart_glocal' }) });
      // The refusal made paymux ask Smart Glocal (or action_required told it first): not cancelled, processing.
      expect((await sessionNow(app, created.id)).status).toBe('processing');
      expect((await eventsOf(app, created.id)).map(([from, to]) => [from, to])).toEqual([[null, 'open'], ['open', 'processing']]);
    });
  });
});
