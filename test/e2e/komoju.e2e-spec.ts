import { KomojuSession, KomojuSimulator, signWebhook } from '@paymux/komoju';
import request from 'supertest';
import { Clock } from '../../src/clock';
import { Customer } from '../../src/customers/customer.entity';
import { ExpireSessionsJob } from '../../src/jobs/expire-sessions.job';
import { Event } from '../../src/notifications/event.entity';
import { KOMOJU_DEFINITION, KomojuSimulatorSetup } from '../../src/providers/komoju/komoju.definition';
import { simulatorToken } from '../../src/providers/provider-module';
import { SessionEvent } from '../../src/sessions/session-event.entity';
import { Session } from '../../src/sessions/session.entity';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { followReturn } from '../support/buyer-return';
import { waitFor } from '../support/wait';

/**
 * KOMOJU through the public API: the real app on a fresh database, KOMOJU's simulator served by
 * the app itself (no credentials are configured), real HTTP both ways and real HMAC signatures.
 */

const RETURN_URL = 'https://shop.example/done?order=7';
const payment = (fields: object = {}) => ({ provider: 'komoju', amount: 1000, currency: 'JPY', return_url: RETURN_URL, ...fields });

let orderSeq = 0;
const nextOrderId = () => `order-${++orderSeq}`;

/** One test app per boot configuration, with the helpers every KOMOJU test uses. */
function komojuSuite(env: Record<string, string> = {}) {
  const h = {
    app: null as unknown as TestApp,
    simulator: null as unknown as KomojuSimulator,
  };

  beforeAll(async () => {
    h.app = await startTestApp(env);
    h.simulator = h.app.paymux.app.get<symbol, KomojuSimulatorSetup>(simulatorToken(KOMOJU_DEFINITION)).simulator;
    // KOMOJU retries a minute apart; here a rejected delivery is retried at once, and given up soon.
    h.simulator.callbacks.setPolicy({ attempts: 2, intervalMs: 10 });
  });
  afterEach(async () => {
    h.simulator.faults.reset();
    h.simulator.resetKomojuFaults();
    await h.simulator.idle();
    h.app.paymux.app.get(Clock).reset();
  });
  afterAll(() => h.app.close());

  return h;
}

describe('KOMOJU sessions through the public API', () => {
  const h = komojuSuite();
  const api = () => h.app.api();

  async function createSession(body: object, expectStatus = 201) {
    const res = await api().post('/v1/sessions', { order_id: nextOrderId(), ...body }).expect(expectStatus);
    return res.body;
  }
  const komojuSession = (id: string): KomojuSession => h.simulator.session(id);
  const getSession = async (id: string) => (await api().get(`/v1/sessions/${id}`).expect(200)).body;
  const waitForStatus = (id: string, status: string) =>
    waitFor(async () => {
      const session = await getSession(id);
      return session.status === status ? session : null;
    });
  const sessionEvents = async (id: string) => (await api().get(`/v1/sessions/${id}/events`).expect(200)).body.data as { to_status: string; source: string }[];
  const customerUpdatedCount = (customerId: string) => h.app.em().count(Event, { type: 'customer.updated', customerId });
  const sessionEventRows = (sessionId: string) => h.app.em().count(SessionEvent, { sessionId });

  /** Posts a webhook as KOMOJU would, signed with the dashboard's secret unless told otherwise. */
  function deliver(rawBody: string | Buffer, headers: { event?: string; id?: string; signature?: string | null; secret?: string } = {}) {
    const secret = headers.secret ?? h.simulator.credentials.webhookSecret;
    const test = request(h.app.url).post('/v1/webhooks/komoju').set('Content-Type', 'application/json').set('User-Agent', 'Komoju-Webhook');
    if (headers.signature !== null) test.set('X-Komoju-Signature', headers.signature ?? signWebhook(rawBody, secret));
    if (headers.event) test.set('X-Komoju-Event', headers.event);
    if (headers.id) test.set('X-Komoju-ID', headers.id);
    return test.send(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
  }

  let eventSeq = 0;
  /** A KOMOJU event envelope about the payment or customer of one (paymux) session. */
  function eventFor(session: { id: string; provider_session_id: string }, type: string, data: Record<string, unknown> = {}) {
    const id = `evt${++eventSeq}${Date.now()}`;
    const komoju = komojuSession(session.provider_session_id);
    const base = type.startsWith('customer.')
      ? { id: komoju.customer_id, resource: 'customer', email: null, source: null, metadata: {}, created_at: new Date().toISOString(), locale: 'ja' }
      : {
          id: `pay${eventSeq}`, resource: 'payment', status: type.slice('payment.'.length), amount: komoju.amount, tax: 0, total: komoju.amount,
          payment_method_fee: 0, currency: komoju.currency, customer: null, payment_deadline: null, payment_details: { type: 'credit_card' },
          description: null, captured_at: null, external_order_num: null, metadata: komoju.metadata, created_at: new Date().toISOString(),
          amount_refunded: 0, locale: 'ja', session: komoju.id, refunds: [], refund_requests: [],
        };
    const body = JSON.stringify({ id, type, resource: 'event', data: { ...base, ...data }, created_at: new Date().toISOString(), reason: null });
    return { id, type, body };
  }

  describe('payment mode', () => {
    it('konbini: reserved on the hosted page is processing, paid at the store (a button on the page) is succeeded', async () => {
      const session = await createSession(payment({
        description: 'Phone case', payment_methods: ['credit_card', 'konbini'], default_payment_method: 'konbini', locale: 'en',
        metadata: { cart: 'c-1' },
      }));
      expect(session).toMatchObject({ provider: 'komoju', mode: 'payment', status: 'open', amount: 1000, currency: 'JPY', provider_session_id: expect.any(String) });
      const komoju = komojuSession(session.provider_session_id);
      expect(session.redirect_url).toBe(komoju.session_url);
      expect(komoju).toMatchObject({
        mode: 'payment', amount: 1000, currency: 'JPY', return_url: `${h.app.url}/v1/return/${session.id}`, default_locale: 'en', status: 'pending',
        payment_methods: [{ type: 'konbini' }, { type: 'credit_card' }],
        line_items: [{ description: 'Phone case', amount: 1000, quantity: 1 }],
        metadata: { cart: 'c-1', paymux_session_id: session.id },
      });

      const page = await fetch(session.redirect_url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('value="konbini"');
      const paid = await fetch(`${session.redirect_url}/pay`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'payment_type=konbini', redirect: 'manual',
      });
      expect(paid.status).toBe(303);
      const relay = new URL(paid.headers.get('location')!);
      expect(relay.searchParams.get('session_id')).toBe(session.provider_session_id);

      // Reserved, not paid: the customer still has to pay at the store.
      await waitForStatus(session.id, 'processing');
      // A payment under way: back to return_url, its own query string kept, with paymux's id.
      const back = new URL(await followReturn(h.app.url, session.id, relay.toString()));
      expect(`${back.origin}${back.pathname}`).toBe('https://shop.example/done');
      expect(back.searchParams.get('order')).toBe('7');
      expect(back.searchParams.get('paymux_session_id')).toBe(session.id);
      expect(komojuSession(session.provider_session_id)).toMatchObject({ status: 'completed', payment: { status: 'authorized', payment_deadline: expect.any(String) } });
      expect((await api().post(`/v1/sessions/${session.id}/sync`).expect(200)).body.status).toBe('processing');
      const reservedPage = await (await fetch(session.redirect_url)).text();
      expect(reservedPage).toContain('Pay at the store');
      expect((await fetch(`${session.redirect_url}/pay-at-store`, { method: 'POST' })).status).toBe(200);

      const succeeded = await waitForStatus(session.id, 'succeeded');
      expect(succeeded.completed_at).toEqual(expect.any(String));
      expect(await sessionEvents(session.id)).toEqual([
        expect.objectContaining({ to_status: 'open', source: 'api' }),
        expect.objectContaining({ to_status: 'processing', source: 'webhook' }),
        expect.objectContaining({ to_status: 'succeeded', source: 'webhook' }),
      ]);
    });

    it('konbini: a reservation nobody pays expires at its payment_deadline (payment.expired), never succeeded', async () => {
      const session = await createSession(payment({ payment_methods: ['konbini'] }));
      h.simulator.pay(session.provider_session_id, 'konbini');
      await waitForStatus(session.id, 'processing');
      h.simulator.expireNow(session.provider_session_id);
      await waitForStatus(session.id, 'expired');
      expect((await sessionEvents(session.id)).map((e) => e.to_status)).toEqual(['open', 'processing', 'expired']);
    });

    it('konbini: paymux does not expire a reservation before its payment_deadline; expires_at moves out to it', async () => {
      const session = await createSession(payment({ payment_methods: ['konbini'], expires_in_seconds: 3600 }));
      h.simulator.pay(session.provider_session_id, 'konbini');
      await waitForStatus(session.id, 'processing');
      const deadline = komojuSession(session.provider_session_id).payment!.payment_deadline!;
      expect(Date.parse(deadline)).toBeGreaterThan(Date.parse(session.expires_at));
      expect((await getSession(session.id)).expires_at).toBe(new Date(deadline).toISOString());

      // Hours after the session's own expiry, the expiry job asks KOMOJU and leaves it reserved.
      h.app.paymux.app.get(Clock).advance(3 * 3600 * 1000);
      await h.app.paymux.app.get(ExpireSessionsJob).run({ signal: new AbortController().signal, instanceId: 'test' });
      expect((await getSession(session.id)).status).toBe('processing');

      expect((await fetch(`${session.redirect_url}/pay-at-store`, { method: 'POST' })).status).toBe(200);
      await waitForStatus(session.id, 'succeeded');
      expect(await getSession(session.id)).not.toHaveProperty('late');
    });

    it('a card payment is captured at once and succeeds', async () => {
      const session = await createSession(payment({ payment_methods: ['credit_card'] }));
      await fetch(`${session.redirect_url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'payment_type=credit_card', redirect: 'manual' });
      await waitForStatus(session.id, 'succeeded');
      expect(komojuSession(session.provider_session_id).payment).toMatchObject({ status: 'captured', payment_details: { type: 'credit_card' } });
      expect((await sessionEvents(session.id)).map((e) => e.to_status)).toEqual(['open', 'succeeded']);
    });

    it('refunds after capture (payment.refund.created, then payment.refunded) are recorded as refunds and leave the session succeeded', async () => {
      const session = await createSession(payment({ payment_methods: ['credit_card'] }));
      await fetch(`${session.redirect_url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'payment_type=credit_card', redirect: 'manual' });
      await waitForStatus(session.id, 'succeeded');
      h.simulator.refund(session.provider_session_id, 300);
      expect(komojuSession(session.provider_session_id).payment).toMatchObject({ status: 'captured', amount_refunded: 300 });
      // KOMOJU promises no order between webhooks; wait for the first so the order asserted below is the one sent.
      await h.simulator.idle();
      h.simulator.refund(session.provider_session_id);
      expect(komojuSession(session.provider_session_id).payment).toMatchObject({ status: 'refunded', amount_refunded: 1000 });
      await h.simulator.idle();
      const received = await h.app.em().find(InboundWebhook, { sessionId: session.id }, { orderBy: { id: 'asc' } });
      expect(received.map((w) => [w.eventType, w.outcome])).toEqual([['payment.captured', 'applied'], ['payment.refund.created', 'applied'], ['payment.refunded', 'applied']]);
      const refunds = (await api().get(`/v1/sessions/${session.id}/refunds`).expect(200)).body.data;
      expect(refunds.map((r: { amount: number; status: string; initiated_by: string }) => [r.amount, r.status, r.initiated_by])).toEqual([[700, 'succeeded', 'provider'], [300, 'succeeded', 'provider']]);
      expect((await api().post(`/v1/sessions/${session.id}/sync`).expect(200)).body.status).toBe('succeeded');
      expect((await sessionEvents(session.id)).map((e) => e.to_status)).toEqual(['open', 'succeeded']);
    });

    it('a completed KOMOJU session whose konbini payment is only authorized is processing, not succeeded, when synced', async () => {
      const session = await createSession(payment({ payment_methods: ['konbini'] }));
      h.simulator.faults.set({ wrongSignature: true });
      h.simulator.pay(session.provider_session_id, 'konbini');
      await h.simulator.idle();
      expect(komojuSession(session.provider_session_id)).toMatchObject({ status: 'completed', payment: { status: 'authorized' } });
      expect((await api().post(`/v1/sessions/${session.id}/sync`).expect(200)).body.status).toBe('processing');
    });

    it('a payment KOMOJU reports at another amount fails the session with amount_mismatch, never succeeded', async () => {
      h.simulator.setKomojuFaults({ amountDelta: 100 });
      const session = await createSession(payment({ payment_methods: ['credit_card'] }));
      h.simulator.pay(session.provider_session_id, 'credit_card');
      const failed = await waitForStatus(session.id, 'failed');
      expect(failed.failure).toMatchObject({ code: 'amount_mismatch' });
      expect(failed.amount_mismatch).toMatchObject({ amount: 1100, currency: 'JPY' });
      await h.simulator.idle();
      expect((await sessionEvents(session.id)).map((e) => e.to_status)).not.toContain('succeeded');
    });

    it('a payment KOMOJU reports in another currency fails the session with amount_mismatch', async () => {
      h.simulator.setKomojuFaults({ currency: 'USD' });
      const session = await createSession(payment({ payment_methods: ['credit_card'] }));
      h.simulator.pay(session.provider_session_id, 'credit_card');
      const failed = await waitForStatus(session.id, 'failed');
      expect(failed.failure).toMatchObject({ code: 'amount_mismatch' });
      expect(failed.amount_mismatch).toMatchObject({ amount: 1000, currency: 'USD' });
    });

    it('sends the customer who leaves the hosted page without paying to cancel_url, through the relay', async () => {
      const session = await createSession(payment({ cancel_url: 'https://shop.example/cart?step=2' }));
      const left = await fetch(`${session.redirect_url}/abandon`, { method: 'POST', redirect: 'manual' });
      expect(left.status).toBe(303);
      expect(new URL(left.headers.get('location')!).searchParams.get('session_id')).toBe(session.provider_session_id);
      expect(await followReturn(h.app.url, session.id, left.headers.get('location')!)).toBe(`https://shop.example/cart?step=2&paymux_session_id=${session.id}`);
      expect((await getSession(session.id)).status).toBe('open');
    });

    it('without a cancel_url, the customer who leaves goes back to return_url', async () => {
      const session = await createSession(payment());
      const left = await fetch(`${session.redirect_url}/abandon`, { method: 'POST', redirect: 'manual' });
      expect(await followReturn(h.app.url, session.id, left.headers.get('location')!)).toBe(`https://shop.example/done?order=7&paymux_session_id=${session.id}`);
    });

    it.each([
      ['JPY, which has no minor unit', 1000, 'jpy', 'JPY', 1000],
      ['USD, which counts cents', 1050, 'USD', 'USD', 1050],
    ])('sends %s to KOMOJU in its lowest denomination unchanged', async (_, amount, currency, stored, sent) => {
      const session = await createSession(payment({ amount, currency }));
      expect(session).toMatchObject({ amount, currency: stored });
      expect(komojuSession(session.provider_session_id)).toMatchObject({ amount: sent, currency: stored });
      h.simulator.pay(session.provider_session_id, 'credit_card');
      await waitForStatus(session.id, 'succeeded');
    });
  });

  describe('customer modes', () => {
    it('customer mode saves payment details without an amount, links the KOMOJU customer and emits customer.updated once', async () => {
      const customer = (await api().post('/v1/customers', { reference: 'user-cust-1', email: 'one@example.com' }).expect(201)).body;
      const session = await createSession({ provider: 'komoju', mode: 'customer', customer_id: customer.id, return_url: RETURN_URL });
      expect(session).toMatchObject({ mode: 'customer', status: 'open', amount: null, currency: null, customer_id: customer.id });
      const komoju = komojuSession(session.provider_session_id);
      expect(komoju).toMatchObject({ mode: 'customer', amount: null, currency: null, email: 'one@example.com', customer_id: expect.any(String) });
      expect(h.simulator.externalCustomerIdOf(komoju.id)).toBe('user-cust-1');

      const completed = h.simulator.pay(session.provider_session_id);
      expect(completed.customer_id).toEqual(expect.any(String));
      await waitForStatus(session.id, 'succeeded');
      await h.simulator.idle();
      expect((await api().get(`/v1/customers/${customer.id}`).expect(200)).body.provider_customers).toEqual({ komoju: completed.customer_id });
      expect(await customerUpdatedCount(customer.id)).toBe(1);
    });

    it('customer_payment mode takes the payment and links the customer, with one session.succeeded and one customer.updated', async () => {
      const session = await createSession(payment({ mode: 'customer_payment', customer: { reference: 'user-cp-1', email: 'cp@example.com' } }));
      expect(komojuSession(session.provider_session_id)).toMatchObject({ mode: 'customer_payment', amount: 1000, currency: 'JPY' });
      expect(h.simulator.externalCustomerIdOf(session.provider_session_id)).toBe('user-cp-1');

      const completed = h.simulator.pay(session.provider_session_id, 'credit_card');
      await waitForStatus(session.id, 'succeeded');
      await h.simulator.idle();
      const customer = (await api().get(`/v1/customers/${session.customer_id}`).expect(200)).body;
      expect(customer).toMatchObject({ reference: 'user-cp-1', provider_customers: { komoju: completed.customer_id } });
      expect(await customerUpdatedCount(customer.id)).toBe(1);
      expect(await h.app.em().count(Event, { type: 'session.succeeded', sessionId: session.id })).toBe(1);
    });

    it('reuses the KOMOJU customer id on the customer\'s next session, without a second customer.updated', async () => {
      const first = await createSession({ provider: 'komoju', mode: 'customer', customer: { reference: 'user-reuse' }, return_url: RETURN_URL });
      const komojuCustomerId = h.simulator.pay(first.provider_session_id).customer_id;
      await waitForStatus(first.id, 'succeeded');
      await h.simulator.idle();

      const second = await createSession(payment({ mode: 'customer_payment', customer_id: first.customer_id }));
      expect(komojuSession(second.provider_session_id)).toMatchObject({ customer_id: komojuCustomerId });
      expect(h.simulator.externalCustomerIdOf(second.provider_session_id)).toBe('user-reuse');
      expect(h.simulator.pay(second.provider_session_id, 'credit_card').customer_id).toBe(komojuCustomerId);
      await waitForStatus(second.id, 'succeeded');
      await h.simulator.idle();
      expect((await api().get(`/v1/customers/${first.customer_id}`).expect(200)).body.provider_customers).toEqual({ komoju: komojuCustomerId });
      expect(await customerUpdatedCount(first.customer_id)).toBe(1);
    });
  });

  describe('cancel', () => {
    it('cancels a konbini reservation (a completed KOMOJU session) by cancelling its payment', async () => {
      const session = await createSession(payment({ payment_methods: ['konbini'] }));
      h.simulator.pay(session.provider_session_id, 'konbini');
      await waitForStatus(session.id, 'processing');
      const paymentId = komojuSession(session.provider_session_id).payment!.id;
      const cancelled = await api().post(`/v1/sessions/${session.id}/cancel`).expect(200);
      expect(cancelled.body).toMatchObject({ id: session.id, status: 'cancelled' });
      expect(h.simulator.requestCount({ method: 'POST', path: `/api/v1/payments/${paymentId}/cancel` })).toBe(1);
      expect(h.simulator.requestCount({ method: 'POST', path: `/api/v1/sessions/${session.provider_session_id}/cancel` })).toBe(0);
      expect(komojuSession(session.provider_session_id).payment).toMatchObject({ status: 'cancelled' });
      // The store can no longer take the payment.
      expect((await fetch(`${session.redirect_url}/pay-at-store`, { method: 'POST' })).status).not.toBe(200);
      await h.simulator.idle();
      expect((await sessionEvents(session.id)).map((e) => e.to_status)).toEqual(['open', 'processing', 'cancelled']);
    });

    it('cancels the session at KOMOJU, and the payment.cancelled webhook that follows changes nothing', async () => {
      const session = await createSession(payment());
      const cancelled = await api().post(`/v1/sessions/${session.id}/cancel`).expect(200);
      expect(cancelled.body).toMatchObject({ id: session.id, status: 'cancelled' });
      expect(h.simulator.requestCount({ method: 'POST', path: `/api/v1/sessions/${session.provider_session_id}/cancel` })).toBe(1);
      expect(komojuSession(session.provider_session_id)).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(String) });
      await h.simulator.idle();
      expect((await getSession(session.id)).status).toBe('cancelled');
      expect((await sessionEvents(session.id)).map((e) => e.to_status)).toEqual(['open', 'cancelled']);
    });

    it('answers 409 for a succeeded session and does not call KOMOJU', async () => {
      const session = await createSession(payment());
      h.simulator.pay(session.provider_session_id);
      await waitForStatus(session.id, 'succeeded');
      const res = await api().post(`/v1/sessions/${session.id}/cancel`).expect(409);
      expect(res.body).toEqual(apiError('conflict_error', { code: 'session_terminal' }));
      expect(h.simulator.requestCount({ method: 'POST', path: `/api/v1/sessions/${session.provider_session_id}/cancel` })).toBe(0);
      expect(komojuSession(session.provider_session_id).status).toBe('completed');
    });

    it('answers 409 with the real status when KOMOJU completed the session before its webhook reached paymux', async () => {
      h.simulator.faults.set({ wrongSignature: true });
      const session = await createSession(payment());
      h.simulator.pay(session.provider_session_id);
      await h.simulator.idle();
      h.simulator.faults.reset();
      expect((await getSession(session.id)).status).toBe('open');
      const res = await api().post(`/v1/sessions/${session.id}/cancel`).expect(409);
      expect(res.body).toEqual(apiError('conflict_error', { code: 'session_terminal' }));
      expect((await getSession(session.id)).status).toBe('succeeded');
      expect((await sessionEvents(session.id)).map((e) => [e.to_status, e.source])).toEqual([['open', 'api'], ['succeeded', 'api']]);
    });
  });

  describe('webhooks', () => {
    it.each([
      ['payment.captured', 'succeeded'],
      ['payment.authorized', 'processing'],
      ['payment.expired', 'expired'],
      ['payment.cancelled', 'cancelled'],
    ])('%s moves a payment session to %s', async (type, status) => {
      const session = await createSession(payment());
      const event = eventFor(session, type);
      const res = await deliver(event.body, { event: type, id: event.id }).expect(200);
      expect(res.body).toEqual({ received: true, outcome: 'applied' });
      expect((await getSession(session.id)).status).toBe(status);
      expect(await sessionEvents(session.id)).toEqual([
        expect.objectContaining({ to_status: 'open' }),
        expect.objectContaining({ to_status: status, source: 'webhook' }),
      ]);
    });

    it('payment.failed leaves the session open for another attempt, then the retry succeeds', async () => {
      const session = await createSession(payment());
      h.simulator.fail(session.provider_session_id);
      await h.simulator.idle();
      await waitFor(() => h.app.em().count(InboundWebhook, { sessionId: session.id, eventType: 'payment.failed' }));
      expect((await getSession(session.id)).status).toBe('open');
      expect(await sessionEventRows(session.id)).toBe(1);
      h.simulator.pay(session.provider_session_id);
      await waitForStatus(session.id, 'succeeded');
    });

    it('a session nobody pays is expired when KOMOJU says expired: true (status still pending)', async () => {
      const session = await createSession(payment({ expires_in_seconds: 60 }));
      h.simulator.expireNow(session.provider_session_id);
      expect(komojuSession(session.provider_session_id)).toMatchObject({ status: 'pending', expired: true });
      expect((await api().post(`/v1/sessions/${session.id}/sync`).expect(200)).body.status).toBe('expired');
    });

    it.each(['customer.created', 'customer.updated'])('%s names no session: paymux finds it by the customer_id KOMOJU answered, and confirms with GET /sessions/{id}', async (type) => {
      const session = await createSession({ provider: 'komoju', mode: 'customer', customer: { reference: `user-${type}` }, return_url: RETURN_URL });
      const komojuCustomerId = komojuSession(session.provider_session_id).customer_id!;
      // A customer event for a session not completed at KOMOJU changes nothing: KOMOJU is asked.
      const early = eventFor(session, type);
      expect((await deliver(early.body, { event: type, id: early.id }).expect(200)).body.outcome).toBe('unchanged');
      expect((await getSession(session.id)).status).toBe('open');
      h.simulator.faults.set({ wrongSignature: true });
      h.simulator.pay(session.provider_session_id);
      await h.simulator.idle();
      h.simulator.faults.reset();
      const event = eventFor(session, type);
      expect(JSON.parse(event.body).data).not.toHaveProperty('session');
      await deliver(event.body, { event: type, id: event.id }).expect(200);
      expect((await getSession(session.id)).status).toBe('succeeded');
      expect((await api().get(`/v1/customers/${session.customer_id}`).expect(200)).body.provider_customers).toEqual({ komoju: komojuCustomerId });
      expect(await customerUpdatedCount(session.customer_id)).toBe(1);
    });

    it('answers ping with 200 and changes nothing', async () => {
      const sessionsBefore = await h.app.em().count(Session, {});
      const eventsBefore = await h.app.em().count(SessionEvent, {});
      const body = JSON.stringify({ id: 'evt-ping-1', type: 'ping', resource: 'event', data: { message: 'ping' }, created_at: new Date().toISOString(), reason: null });
      await deliver(body, { event: 'ping', id: 'evt-ping-1' }).expect(200);
      expect(await h.app.em().count(Session, {})).toBe(sessionsBefore);
      expect(await h.app.em().count(SessionEvent, {})).toBe(eventsBefore);
    });

    it('answers 200 to an event about a session paymux does not know, and records it', async () => {
      const body = JSON.stringify({
        id: 'evt-unknown-1', type: 'payment.captured', resource: 'event', created_at: new Date().toISOString(), reason: null,
        data: { id: 'pay-unknown', resource: 'payment', status: 'captured', session: 'not-a-komoju-session', metadata: {} },
      });
      expect((await deliver(body, { event: 'payment.captured', id: 'evt-unknown-1' }).expect(200)).body).toEqual({ received: true, outcome: 'unknown_session' });
      expect(await h.app.em().count(InboundWebhook, { dedupeKey: 'evt-unknown-1', outcome: 'unknown_session' })).toBe(1);
    });

    it('applies an event once when KOMOJU delivers it twice with two different X-Komoju-IDs (dedupe on the body id)', async () => {
      const session = await createSession(payment());
      const event = eventFor(session, 'payment.captured');
      await deliver(event.body, { event: event.type, id: 'delivery-1' }).expect(200);
      const again = await deliver(event.body, { event: event.type, id: 'delivery-2' }).expect(200);
      expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
      expect(await h.app.em().count(SessionEvent, { sessionId: session.id, toStatus: 'succeeded' })).toBe(1);
      expect(await h.app.em().count(Event, { sessionId: session.id, type: 'session.succeeded' })).toBe(1);
    });

    it('a captured event arriving before the authorized one leaves the session succeeded', async () => {
      const session = await createSession(payment({ payment_methods: ['konbini'] }));
      const captured = eventFor(session, 'payment.captured');
      const authorized = eventFor(session, 'payment.authorized');
      await deliver(captured.body, { event: captured.type, id: 'delivery-c' }).expect(200);
      await deliver(authorized.body, { event: authorized.type, id: 'delivery-a' }).expect(200);
      expect((await getSession(session.id)).status).toBe('succeeded');
      expect((await sessionEvents(session.id)).map((e) => e.to_status)).toEqual(['open', 'succeeded']);
    });

    it('the simulator\'s out-of-order knob (captured sent before authorized) still ends succeeded', async () => {
      const session = await createSession(payment({ payment_methods: ['konbini'] }));
      h.simulator.faults.set({ outOfOrderCallbacks: true });
      h.simulator.pay(session.provider_session_id, 'konbini');
      h.simulator.payAtStore(session.provider_session_id);
      await h.simulator.idle();
      await waitForStatus(session.id, 'succeeded');
      await waitFor(() => h.app.em().count(InboundWebhook, { sessionId: session.id, eventType: 'payment.authorized' }));
      expect((await getSession(session.id)).status).toBe('succeeded');
    });

    it('applies a delivery once when KOMOJU sends it twice with the same X-Komoju-ID', async () => {
      const session = await createSession(payment());
      const event = eventFor(session, 'payment.captured');
      await deliver(event.body, { event: event.type, id: event.id }).expect(200);
      const again = await deliver(event.body, { event: event.type, id: event.id }).expect(200);
      expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
      expect(await h.app.em().count(SessionEvent, { sessionId: session.id, toStatus: 'succeeded' })).toBe(1);
      expect(await h.app.em().count(Event, { sessionId: session.id, type: 'session.succeeded' })).toBe(1);
    });

    it('applies the simulator\'s duplicated deliveries once', async () => {
      const session = await createSession(payment());
      h.simulator.faults.set({ duplicateCallbacks: true });
      h.simulator.pay(session.provider_session_id);
      await h.simulator.idle();
      await waitForStatus(session.id, 'succeeded');
      expect(await h.app.em().count(SessionEvent, { sessionId: session.id, toStatus: 'succeeded' })).toBe(1);
      expect(await h.app.em().count(Event, { sessionId: session.id, type: 'session.succeeded' })).toBe(1);
    });

    it.each([
      ['signed with a wrong secret', (body: string) => ({ body, headers: { secret: 'not-the-dashboard-secret' } })],
      ['with one byte of the body altered', (body: string) => ({ body: body.replace('"captured"', '"capturee"'), headers: { signature: signWebhook(body, h.simulator.credentials.webhookSecret) } })],
      ['without a signature', (body: string) => ({ body, headers: { signature: null } })],
    ])('rejects a delivery %s with 401, changing nothing', async (_, forge) => {
      const session = await createSession(payment());
      const event = eventFor(session, 'payment.captured');
      const forged = forge(event.body);
      const res = await deliver(forged.body, { event: event.type, id: event.id, ...forged.headers }).expect(401);
      expect(res.body).toEqual(apiError('authentication_error'));
      expect((await getSession(session.id)).status).toBe('open');
      expect(await sessionEventRows(session.id)).toBe(1);
      // The genuine delivery, sent afterwards with the same id, is still applied.
      await deliver(event.body, { event: event.type, id: event.id }).expect(200);
      expect((await getSession(session.id)).status).toBe('succeeded');
    });

    it('rejects deliveries the simulator signs with a wrong key, leaving the session open', async () => {
      const session = await createSession(payment());
      h.simulator.faults.set({ wrongSignature: true });
      h.simulator.pay(session.provider_session_id);
      await h.simulator.idle();
      expect((await getSession(session.id)).status).toBe('open');
      expect(h.simulator.callbacks.deliveries.filter((d) => d.body.includes(session.provider_session_id)).every((d) => d.status === 401)).toBe(true);
    });

    it.each([
      ['a body that is not JSON', '{"id": "evt-x", "type": "payment.captured", ', {}],
      ['an envelope without a type', JSON.stringify({ id: 'evt-notype', data: {} }), {}],
      ['a payment event without data', JSON.stringify({ id: 'evt-nodata', type: 'payment.captured' }), {}],
      ['an X-Komoju-Event that contradicts the body', JSON.stringify({ id: 'evt-mismatch', type: 'payment.captured', data: {} }), { event: 'payment.failed' }],
    ])('answers 400 to %s, signed correctly', async (_, body, headers) => {
      const eventsBefore = await h.app.em().count(SessionEvent, {});
      const res = await deliver(body, headers).expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error'));
      expect(await h.app.em().count(SessionEvent, {})).toBe(eventsBefore);
    });
  });

  describe('sync', () => {
    it('applies KOMOJU\'s current status when no webhook arrived', async () => {
      const session = await createSession(payment());
      h.simulator.faults.set({ wrongSignature: true });
      h.simulator.pay(session.provider_session_id);
      await h.simulator.idle();
      expect((await getSession(session.id)).status).toBe('open');
      const synced = await api().post(`/v1/sessions/${session.id}/sync`).expect(200);
      expect(synced.body).toMatchObject({ status: 'succeeded' });
      expect((await sessionEvents(session.id)).at(-1)).toMatchObject({ to_status: 'succeeded', source: 'sync' });
    });

    it('leaves a pending session open, and expires it once KOMOJU has expired it', async () => {
      const session = await createSession(payment({ expires_in_seconds: 60 }));
      expect((await api().post(`/v1/sessions/${session.id}/sync`).expect(200)).body.status).toBe('open');
      h.simulator.faults.set({ wrongSignature: true });
      h.simulator.expireNow(session.provider_session_id);
      await h.simulator.idle();
      expect((await getSession(session.id)).status).toBe('open');
      expect((await api().post(`/v1/sessions/${session.id}/sync`).expect(200)).body.status).toBe('expired');
    });

    it('links the customer of a customer-mode session completed at KOMOJU', async () => {
      const session = await createSession({ provider: 'komoju', mode: 'customer', customer: { reference: 'user-sync' }, return_url: RETURN_URL });
      h.simulator.faults.set({ wrongSignature: true });
      const completed = h.simulator.pay(session.provider_session_id);
      await h.simulator.idle();
      expect((await api().post(`/v1/sessions/${session.id}/sync`).expect(200)).body.status).toBe('succeeded');
      expect((await api().get(`/v1/customers/${session.customer_id}`).expect(200)).body.provider_customers).toEqual({ komoju: completed.customer_id });
      expect(await customerUpdatedCount(session.customer_id)).toBe(1);
    });
  });

  describe('bad input', () => {
    it.each([
      ['mode customer with an amount', { provider: 'komoju', mode: 'customer', amount: 1000, customer: { reference: 'bad-1' }, return_url: RETURN_URL }, 'amount'],
      ['customer_payment without a customer', payment({ mode: 'customer_payment' }), 'customer'],
      ['expires_in_seconds 0', payment({ expires_in_seconds: 0 }), 'expires_in_seconds'],
      ['expires_in_seconds 86401', payment({ expires_in_seconds: 86401 }), 'expires_in_seconds'],
      ['a metadata key over 30 characters', payment({ metadata: { ['k'.repeat(31)]: 'v' } }), 'metadata'],
      ['a metadata value that is not a string', payment({ metadata: { cart: 7 } }), 'metadata'],
      ['a metadata value over the limit', payment({ metadata: { cart: 'v'.repeat(2001) } }), 'metadata'],
      ['the reserved metadata key', payment({ metadata: { paymux_session_id: 'sess_x' } }), 'metadata'],
      ['an unknown payment type', payment({ payment_methods: ['credit_card', 'bitcoin'] }), 'payment_methods'],
      ['an unknown locale', payment({ locale: 'fr' }), 'locale'],
      ['a currency KOMOJU does not take', payment({ currency: 'AMD' }), 'currency'],
    ])('%s → 400 naming the field; nothing stored, nothing sent', async (_, body, param) => {
      const sessionsBefore = await h.app.em().count(Session, {});
      const customersBefore = await h.app.em().count(Customer, {});
      const callsBefore = h.simulator.requestCount();
      const res = await api().post('/v1/sessions', body).expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error', { param }));
      expect(await h.app.em().count(Session, {})).toBe(sessionsBefore);
      expect(await h.app.em().count(Customer, {})).toBe(customersBefore);
      expect(h.simulator.requestCount()).toBe(callsBefore);
    });
  });

  describe('KOMOJU errors', () => {
    const failedSession = async (orderId: string) => {
      const list = (await api().get(`/v1/sessions?order_id=${orderId}`).expect(200)).body.data;
      expect(list).toHaveLength(1);
      return list[0];
    };

    it('answers 502 with KOMOJU\'s code when KOMOJU fails, and stores the session failed with the reason', async () => {
      h.simulator.faults.set({ errorRate: 1 });
      const orderId = nextOrderId();
      const res = await api().post('/v1/sessions', payment({ order_id: orderId })).expect(502);
      expect(res.body).toEqual(apiError('provider_error', { code: 'internal_error' }));
      expect(res.body.error.provider).toBe('komoju');
      expect(await failedSession(orderId)).toMatchObject({ status: 'failed', provider_session_id: null, failure: { code: 'internal_error', source: 'provider', message: expect.any(String) } });
    });

    it('answers 502 with KOMOJU\'s validation code when KOMOJU refuses the request', async () => {
      // The customer was deleted at KOMOJU: its id is no longer known there.
      const customer = (await api().post('/v1/customers', { reference: 'user-gone' }).expect(201)).body;
      const em = h.app.em();
      const row = await em.findOneOrFail(Customer, { id: customer.id });
      row.providerCustomers = { komoju: 'cus_deleted_at_komoju' };
      await em.flush();
      const orderId = nextOrderId();
      const res = await api().post('/v1/sessions', payment({ mode: 'customer_payment', customer_id: customer.id, order_id: orderId })).expect(502);
      expect(res.body).toEqual(apiError('provider_error', { code: 'unprocessable_entity', message: expect.stringContaining('customer_id') }));
      expect(res.body.error.provider).toBe('komoju');
      expect(await failedSession(orderId)).toMatchObject({ status: 'failed', failure: { code: 'unprocessable_entity', source: 'provider' } });
    });

    it('creates exactly one KOMOJU session for 20 concurrent requests with one Idempotency-Key', async () => {
      const before = h.simulator.sessionCount;
      const creates = h.simulator.requestCount({ method: 'POST', path: '/api/v1/sessions' });
      const sessionsBefore = await h.app.em().count(Session, {});
      const body = payment({ order_id: nextOrderId() });
      const answers = await Promise.all(Array.from({ length: 20 }, () => api().post('/v1/sessions', body).set('Idempotency-Key', 'komoju-concurrent')));
      expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
      const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
      expect(ids.size).toBe(1);
      expect(h.simulator.sessionCount - before).toBe(1);
      expect(h.simulator.requestCount({ method: 'POST', path: '/api/v1/sessions' }) - creates).toBe(1);
      expect(await h.app.em().count(Session, {})).toBe(sessionsBefore + 1);
    });
  });
});

describe('KOMOJU that does not answer in time', () => {
  const h = komojuSuite({ PROVIDER_TIMEOUT_MS: '300' });

  it('answers 504 and stores the session failed with the timeout, never open', async () => {
    h.simulator.faults.set({ timeoutRate: 1 });
    const started = Date.now();
    const res = await h.app.api().post('/v1/sessions', payment({ order_id: 'order-timeout' })).expect(504);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.body).toEqual(apiError('provider_error', { code: 'provider_timeout' }));
    expect(res.body.error.provider).toBe('komoju');
    const [session] = (await h.app.api().get('/v1/sessions?order_id=order-timeout').expect(200)).body.data;
    expect(session).toMatchObject({ status: 'failed', failure: { code: 'provider_timeout', source: 'provider' } });
    expect(await h.app.em().count(Session, { status: 'open' })).toBe(0);
  });
});
