import { parseMajorUnits } from '@paymux/payments';
import { SpayonSimulator } from '@paymux/spayon';
import request from 'supertest';
import { Clock } from '../../src/clock';
import { Product } from '../../src/products/product.entity';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { SessionEvent } from '../../src/sessions/session-event.entity';
import { Event } from '../../src/notifications/event.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { followReturn } from '../support/buyer-return';
import { customSpayonSession, postSpayonCallback, sessionRows, spayonSimulatorOf, statusOf, useSpayonSuite, waitForStatus } from '../support/spayon';


describe('sessions with Spayon, end to end over the simulator', () => {
  const suite = useSpayonSuite();
  let app: TestApp;
  let simulator: SpayonSimulator;
  let callbackSecret: string;
  beforeAll(() => ({ app, simulator, callbackSecret } = suite));

  const create = (body: object = customSpayonSession) => app.api().post('/v1/sessions', body);

  describe('creating', () => {
    it('creates a custom-product session: open, with Spayon’s id and page, 15 minutes to live', async () => {
      const res = await create().expect(201);
      expect(res.body).toMatchObject({
        object: 'session', provider: 'spayon', status: 'open', mode: 'payment', amount: 500000, currency: 'AMD',
        order_id: 'ORDER_1', provider_session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        redirect_url: expect.stringContaining(`/simulators/spayon/session/`), failure: null,
      });
      const ttl = Date.parse(res.body.expires_at) - Date.parse(res.body.created_at);
      expect(ttl).toBeGreaterThanOrEqual(899_000);
      expect(ttl).toBeLessThanOrEqual(901_000);
      const sent = simulator.session(res.body.provider_session_id)!;
      expect(parseMajorUnits(sent.price, 'AMD')).toBe(500000);
      // Spayon gets paymux's return relay for both; the session keeps the merchant's own URLs.
      const relay = `${app.url}/v1/return/${res.body.id}`;
      expect(sent).toMatchObject({ productName: 'Order #1', currency: 'AMD', orderId: 'ORDER_1', returnUrl: relay, cancelUrl: relay });
      expect(res.body).toMatchObject({ return_url: 'https://shop.example/thanks', cancel_url: 'https://shop.example/cart' });
      expect(sent.callbackUrl).toBe(`${app.url}/v1/webhooks/spayon`);
    });

    it('uses Spayon’s product_id option for a product with a Spayon marketplace id, the custom option otherwise', async () => {
      const linked = (await app.api().post('/v1/products', { name: 'Sample product (1000.00 AMD)', amount: 100000, currency: 'AMD', spayon_product_id: 1 }).expect(201)).body;
      const plain = (await app.api().post('/v1/products', { name: 'Local case', amount: 2599, currency: 'USD' }).expect(201)).body;
      const a = (await create({ provider: 'spayon', product_id: linked.id, return_url: 'https://shop.example/r' }).expect(201)).body;
      const b = (await create({ provider: 'spayon', product_id: plain.id, return_url: 'https://shop.example/r' }).expect(201)).body;
      expect(a).toMatchObject({ product_id: linked.id, amount: 100000, currency: 'AMD' });
      expect(simulator.session(a.provider_session_id)).toMatchObject({ productName: 'Sample product (1000.00 AMD)', currency: 'AMD' });
      expect(parseMajorUnits(simulator.session(a.provider_session_id)!.price, 'AMD')).toBe(100000);
      expect(simulator.session(b.provider_session_id)).toMatchObject({ productName: 'Local case', price: '25.99', currency: 'USD' });
    });

    it.each([
      ['AMD', 500000], ['RUB', 12345], ['USD', 1], ['EUR', 999999999], ['GBP', 1050], ['USD', 29], ['AMD', 100000000000001],
    ])('sends %s %i minor units as the exact major-unit price', async (currency, amount) => {
      const res = await create({ ...customSpayonSession, currency, amount }).expect(201);
      expect(res.body).toMatchObject({ amount, currency });
      // Spayon's price is major units: the number sent must read back as exactly the same amount.
      expect(parseMajorUnits(simulator.session(res.body.provider_session_id)!.price, currency)).toBe(amount);
    });

    it('passes customer, methods and language on', async () => {
      const res = await create({
        ...customSpayonSession, locale: 'hy', payment_methods: ['visamaster', 'mir'], default_payment_method: 'mir',
        customer: { reference: 'user-981', email: 'user@example.com', username: 'john_doe', full_name: 'John Doe' },
      }).expect(201);
      expect(simulator.session(res.body.provider_session_id)).toMatchObject({
        language: 'hy', availablePaymentMethods: ['visamaster', 'mir'], defaultPaymentMethod: 'mir',
        email: 'user@example.com', username: 'john_doe', fullName: 'John Doe',
      });
      const customer = await app.api().get(`/v1/customers/${res.body.customer_id}`).expect(200);
      expect(customer.body).toMatchObject({ reference: 'user-981', email: 'user@example.com' });
    });

    it('routes to Spayon without a provider when Spayon takes the currency first', async () => {
      const { provider: _, ...unnamed } = customSpayonSession;
      expect((await create(unnamed).expect(201)).body.provider).toBe('spayon');
    });
  });

  describe('bad input: 400 naming the field, nothing stored, nothing sent to Spayon', () => {
    let inactiveId: number;
    beforeAll(async () => {
      const em = app.em();
      const product = Object.assign(new Product(), { name: 'Gone', amount: 100, currency: 'AMD', active: false });
      await em.persistAndFlush(product);
      inactiveId = product.id;
    });

    const cases: [string, string, () => object][] = [
      ['product_id and amount', 'amount', () => ({ provider: 'spayon', product_id: inactiveId, amount: 100, return_url: 'https://s.example' })],
      ['neither product nor amount', 'amount', () => ({ provider: 'spayon', return_url: 'https://s.example' })],
      ['amount without currency', 'currency', () => ({ provider: 'spayon', amount: 100, return_url: 'https://s.example' })],
      ['an inactive product', 'product_id', () => ({ provider: 'spayon', product_id: inactiveId, return_url: 'https://s.example' })],
      ['an unknown product', 'product_id', () => ({ provider: 'spayon', product_id: 987654, return_url: 'https://s.example' })],
      ['a currency Spayon does not take', 'currency', () => ({ ...customSpayonSession, currency: 'JPY' })],
      ['a locale Spayon does not speak', 'locale', () => ({ ...customSpayonSession, locale: 'de' })],
      ['a method Spayon does not offer', 'payment_methods', () => ({ ...customSpayonSession, payment_methods: ['konbini'] })],
      ['a default method outside the list', 'default_payment_method', () => ({ ...customSpayonSession, payment_methods: ['mir'], default_payment_method: 'visamaster' })],
      ['mode customer', 'mode', () => ({ ...customSpayonSession, amount: undefined, currency: undefined, description: undefined, mode: 'customer', customer: { reference: 'm-1' } })],
      ['an expiry other than 15 minutes', 'expires_in_seconds', () => ({ ...customSpayonSession, expires_in_seconds: 3600 })],
      ['an unknown provider', 'provider', () => ({ ...customSpayonSession, provider: 'paypal' })],
      ['a negative amount', 'amount', () => ({ ...customSpayonSession, amount: -5 })],
      ['a fractional amount', 'amount', () => ({ ...customSpayonSession, amount: 10.5 })],
      ['a bad return_url', 'return_url', () => ({ ...customSpayonSession, return_url: 'not a url' })],
      ['a missing return_url', 'return_url', () => ({ ...customSpayonSession, return_url: undefined })],
      ['an unknown customer', 'customer_id', () => ({ ...customSpayonSession, customer_id: 'cus_01ZZZZZZZZZZZZZZZZZZZZZZZZ' })],
      ['customer and customer_id', 'customer', () => ({ ...customSpayonSession, customer_id: 'cus_x', customer: { reference: 'r' } })],
      ['a bad inline customer e-mail', 'customer.email', () => ({ ...customSpayonSession, customer: { email: 'nope' } })],
      ['an unknown field', 'colour', () => ({ ...customSpayonSession, colour: 'red' })],
      ['too much metadata', 'metadata', () => ({ ...customSpayonSession, metadata: { ['k'.repeat(31)]: 'v' } })],
      ['an over-long order_id', 'order_id', () => ({ ...customSpayonSession, order_id: 'o'.repeat(256) })],
    ];

    it.each(cases)('%s → 400 on %s', async (_, param, body) => {
      const sessionsBefore = await sessionRows(app);
      const createsBefore = simulator.requests.createSession;
      const res = await create(body()).expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error', { param }));
      expect(await sessionRows(app)).toBe(sessionsBefore);
      expect(simulator.requests.createSession).toBe(createsBefore);
    });
  });

  describe('tokens', () => {
    it('caches one token across many sessions and refreshes it only near expiry', async () => {
      await create().expect(201);
      const before = simulator.requests.tokens;
      await Promise.all(Array.from({ length: 8 }, () => create().expect(201)));
      expect(simulator.requests.tokens).toBe(before);
      app.paymux.app.get(Clock).advance(3600 * 1000);
      await Promise.all(Array.from({ length: 4 }, () => create().expect(201)));
      expect(simulator.requests.tokens).toBe(before + 1);
    });

    it('refreshes once and retries once when Spayon answers 401 to a valid-looking token', async () => {
      await create().expect(201);
      const tokens = simulator.requests.tokens;
      simulator.revokeTokens();
      await create().expect(201);
      expect(simulator.requests.tokens).toBe(tokens + 1);
    });
  });

  describe('paying on the hosted page, and callbacks', () => {
    it('a person pays on the page: the buyer returns to return_url and the session succeeds with its history', async () => {
      const session = (await create().expect(201)).body;
      const page = await request(session.redirect_url).get('').expect(200);
      expect(page.text).toContain('5,000.00 AMD');
      const paid = await request(`${session.redirect_url}/pay`).post('').type('form').send({}).expect(303);
      expect(paid.headers.location).toBe(`${app.url}/v1/return/${session.id}?session_id=${session.provider_session_id}`);
      await waitForStatus(app, session.id, 'succeeded');
      expect(await followReturn(app.url, session.id, paid.headers.location)).toBe(`https://shop.example/thanks?paymux_session_id=${session.id}`);
      const events = (await app.api().get(`/v1/sessions/${session.id}/events`).expect(200)).body.data;
      expect(events.map((e: { to_status: string; source: string }) => [e.to_status, e.source])).toEqual([['open', 'api'], ['succeeded', 'webhook']]);
      const final = (await app.api().get(`/v1/sessions/${session.id}`).expect(200)).body;
      expect(final).toMatchObject({ status: 'succeeded', completed_at: expect.any(String), failure: null });
      expect(await app.em().count(Event, { sessionId: session.id, type: 'session.succeeded' })).toBe(1);
      await request(session.redirect_url).get('').expect((res) => expect(res.text).not.toMatch(/<button[^>]*>\s*Pay/));
    });

    it('a decline becomes failed with the decline reason as failure', async () => {
      const session = (await create().expect(201)).body;
      const declined = await request(`${session.redirect_url}/decline`).post('').type('form').send({ code: '51' }).expect(303);
      await waitForStatus(app, session.id, 'failed');
      // A payment that did not go through: back to cancel_url.
      expect(await followReturn(app.url, session.id, declined.headers.location)).toBe(`https://shop.example/cart?paymux_session_id=${session.id}`);
      const final = (await app.api().get(`/v1/sessions/${session.id}`).expect(200)).body;
      expect(final.failure).toEqual({ code: '51', message: expect.stringMatching(/insufficient/i), source: 'BANK' });
    });

    it('back leaves the session open and payable', async () => {
      const session = (await create().expect(201)).body;
      const back = await request(`${session.redirect_url}/back`).post('').type('form').send({}).expect(303);
      expect(await followReturn(app.url, session.id, back.headers.location)).toBe(`https://shop.example/cart?paymux_session_id=${session.id}`);
      expect(await statusOf(app, session.id)).toBe('open');
      simulator.pay(session.provider_session_id);
      await waitForStatus(app, session.id, 'succeeded');
    });

    it('duplicated callbacks change the session once', async () => {
      simulator.faults.set({ duplicateCallbacks: true });
      const session = (await create().expect(201)).body;
      simulator.pay(session.provider_session_id);
      await waitForStatus(app, session.id, 'succeeded');
      await simulator.callbacks.idle();
      expect(await app.em().count(SessionEvent, { sessionId: session.id, toStatus: 'succeeded' })).toBe(1);
      expect(await app.em().count(InboundWebhook, { sessionId: session.id })).toBe(1);
    });

    it('a replayed callback is acknowledged and changes nothing', async () => {
      const session = (await create().expect(201)).body;
      simulator.pay(session.provider_session_id);
      await waitForStatus(app, session.id, 'succeeded');
      await simulator.callbacks.idle();
      const delivered = simulator.callbacks.deliveries.find((d) => d.body.includes(session.provider_session_id))!;
      const again = await postSpayonCallback(app, delivered.body, callbackSecret).expect(200);
      expect(again.body.outcome).toBe('duplicate');
      expect(await app.em().count(SessionEvent, { sessionId: session.id })).toBe(2);
    });

    it('twenty copies of one paid callback at once pay the session once: one applied, the rest duplicates', async () => {
      const session = (await create().expect(201)).body;
      const now = new Date().toISOString();
      const paid = { sessionId: session.provider_session_id, status: 'paid', productName: 'Order #1', price: '5000.00', currency: 'AMD', createdAt: now, updatedAt: now, orderId: 'ORDER_1' };
      const answers = await Promise.all(Array.from({ length: 20 }, () => postSpayonCallback(app, paid, callbackSecret).expect(200)));
      const outcomes = answers.map((answer) => answer.body.outcome).sort();
      expect(outcomes).toEqual(['applied', ...Array.from({ length: 19 }, () => 'duplicate')]);
      expect(await statusOf(app, session.id)).toBe('succeeded');
      expect(await app.em().count(SessionEvent, { sessionId: session.id, toStatus: 'succeeded' })).toBe(1);
      expect(await app.em().count(Event, { sessionId: session.id, type: 'session.succeeded' })).toBe(1);
      expect(await app.em().count(InboundWebhook, { sessionId: session.id })).toBe(1);
    });

    it('an out-of-order failed or expired callback after paid changes nothing', async () => {
      const session = (await create().expect(201)).body;
      simulator.pay(session.provider_session_id);
      await waitForStatus(app, session.id, 'succeeded');
      const base = { sessionId: session.provider_session_id, productName: 'Order #1', price: '5000.00', currency: 'AMD', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), orderId: 'ORDER_1' };
      await postSpayonCallback(app, { ...base, status: 'failed', declineReasons: [{ transactionId: 1, responseCode: '05', responseReasonEn: 'Do not honour' }] }, callbackSecret).expect(200);
      await postSpayonCallback(app, { ...base, status: 'expired' }, callbackSecret).expect(200);
      expect(await statusOf(app, session.id)).toBe('succeeded');
      expect(await app.em().count(SessionEvent, { sessionId: session.id })).toBe(2);
    });

    it('a forged callback is refused with 401 and Spayon retries; nothing changes', async () => {
      simulator.faults.set({ wrongSignature: true });
      const session = (await create().expect(201)).body;
      simulator.pay(session.provider_session_id);
      await simulator.callbacks.idle();
      const attempts = simulator.callbacks.deliveries.filter((d) => d.body.includes(session.provider_session_id));
      expect(attempts.map((d) => d.status)).toEqual([401, 401, 401]);
      expect(await statusOf(app, session.id)).toBe('open');
      expect(await app.em().count(InboundWebhook, { provider: 'spayon', outcome: 'rejected' })).toBeGreaterThanOrEqual(3);
    });

    it('a callback with one byte altered, or without a signature, is a 401', async () => {
      const session = (await create().expect(201)).body;
      const body = JSON.stringify({ sessionId: session.provider_session_id, status: 'paid', productName: 'Order #1', price: '5000.00', currency: 'AMD', createdAt: 'x', updatedAt: 'x', orderId: 'ORDER_1' });
      const { signCallback } = await import('@paymux/spayon');
      const signature = signCallback(Buffer.from(body), callbackSecret);
      const altered = body.replace('5000.00', '5000.01');
      const res = await request(app.url).post('/v1/webhooks/spayon').set('Content-Type', 'application/json').set('X-Signature', signature).send(altered).expect(401);
      expect(res.body).toEqual(apiError('authentication_error'));
      await postSpayonCallback(app, body, null).expect(401);
      expect(await statusOf(app, session.id)).toBe('open');
    });

    it('a callback for an unknown session is acknowledged (200) and recorded', async () => {
      const res = await postSpayonCallback(app, { sessionId: '00000000-0000-4000-8000-000000000000', status: 'paid', productName: 'x', price: '1', currency: 'AMD', createdAt: 'x', updatedAt: 'x', orderId: null }, callbackSecret).expect(200);
      expect(res.body.outcome).toBe('unknown_session');
    });

    it('a malformed callback with a valid signature is a 400', async () => {
      const res = await postSpayonCallback(app, '{"sessionId": 12', callbackSecret).expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error'));
      await postSpayonCallback(app, { hello: 'world' }, callbackSecret).expect(400);
    });
  });

  describe('provider faults', () => {
    it('a Spayon 500 answers 502 provider_error and stores the session failed, never open', async () => {
      simulator.faults.set({ errorRate: 1 });
      const res = await create({ ...customSpayonSession, order_id: 'FAULT-500' }).expect(502);
      expect(res.body).toEqual(apiError('provider_error', { code: 'provider_server_error' }));
      expect(res.body.error.provider).toBe('spayon');
      const stored = (await app.api().get('/v1/sessions?order_id=FAULT-500').expect(200)).body.data;
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ status: 'failed', provider_session_id: null, failure: { code: 'provider_server_error', source: 'provider' } });
    });

    it('a Spayon 400 answers 502 with Spayon’s code', async () => {
      const product = (await app.api().post('/v1/products', { name: 'Unknown at Spayon', amount: 100, currency: 'AMD', spayon_product_id: 4040 }).expect(201)).body;
      const res = await create({ provider: 'spayon', product_id: product.id, return_url: 'https://s.example' }).expect(502);
      expect(res.body).toEqual(apiError('provider_error', { code: 'http_400' }));
    });

    it('no answer within PROVIDER_TIMEOUT_MS answers 504 and stores the session failed', async () => {
      const slow = await startTestApp({ PROVIDER_TIMEOUT_MS: '300' });
      try {
        spayonSimulatorOf(slow).simulator.faults.set({ timeoutRate: 1 });
        const res = await slow.api().post('/v1/sessions', { ...customSpayonSession, order_id: 'SLOW' }).expect(504);
        expect(res.body).toEqual(apiError('provider_error', { code: 'provider_timeout' }));
        const stored = (await slow.api().get('/v1/sessions?order_id=SLOW').expect(200)).body.data;
        expect(stored[0]).toMatchObject({ status: 'failed', failure: { code: 'provider_timeout' } });
      } finally {
        await slow.close();
      }
    });
  });

  describe('idempotency and races', () => {
    it('50 concurrent creates with one Idempotency-Key make exactly one Spayon session', async () => {
      const before = simulator.requests.createSession;
      const answers = await Promise.all(Array.from({ length: 50 }, () => create({ ...customSpayonSession, order_id: 'IDEM-50' }).set('Idempotency-Key', 'idem-50')));
      expect(simulator.requests.createSession - before).toBe(1);
      const created = answers.filter((a) => a.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
      expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
      const replay = await create({ ...customSpayonSession, order_id: 'IDEM-50' }).set('Idempotency-Key', 'idem-50').expect(201);
      expect(replay.text).toBe(created.find((a) => !a.headers['idempotent-replayed'])!.text);
    });

    it('a paid callback racing cancel always ends succeeded, late when the cancel won, with one event per change', async () => {
      for (let i = 0; i < 10; i++) {
        const session = (await create().expect(201)).body;
        const [cancel] = await Promise.all([
          app.api().post(`/v1/sessions/${session.id}/cancel`),
          Promise.resolve().then(() => simulator.pay(session.provider_session_id)),
        ]);
        await waitForStatus(app, session.id, 'succeeded');
        const final = (await app.api().get(`/v1/sessions/${session.id}`).expect(200)).body;
        const changes = (await app.api().get(`/v1/sessions/${session.id}/events`).expect(200)).body.data.map((e: { to_status: string }) => e.to_status);
        if (cancel.status === 200) {
          expect(final.late).toBe(true);
          expect(changes).toEqual(['open', 'cancelled', 'succeeded']);
        } else {
          expect(cancel.status).toBe(409);
          expect(final.late).toBeUndefined();
          expect(changes).toEqual(['open', 'succeeded']);
        }
      }
    });

    it('cancel is local for Spayon, a terminal session answers 409, and sync reads Spayon’s status', async () => {
      const session = (await create().expect(201)).body;
      expect((await app.api().post(`/v1/sessions/${session.id}/cancel`).expect(200)).body.status).toBe('cancelled');
      expect((await app.api().post(`/v1/sessions/${session.id}/cancel`).expect(409)).body).toEqual(apiError('conflict_error'));

      const other = (await create().expect(201)).body;
      simulator.faults.set({ wrongSignature: true });
      simulator.pay(other.provider_session_id);
      await simulator.callbacks.idle();
      expect(await statusOf(app, other.id)).toBe('open');
      const synced = (await app.api().post(`/v1/sessions/${other.id}/sync`).expect(200)).body;
      expect(synced.status).toBe('succeeded');
      const sources = (await app.api().get(`/v1/sessions/${other.id}/events`)).body.data.map((e: { source: string }) => e.source);
      expect(sources).toEqual(['api', 'sync']);
    });
  });

  describe('listing', () => {
    it('filters by status, provider and order_id, and pages newest first', async () => {
      const a = (await create({ ...customSpayonSession, order_id: 'LIST-1' }).expect(201)).body;
      const b = (await create({ ...customSpayonSession, order_id: 'LIST-1' }).expect(201)).body;
      const page = (await app.api().get('/v1/sessions?order_id=LIST-1&limit=1').expect(200)).body;
      expect(page).toMatchObject({ has_more: true, data: [{ id: b.id }] });
      const next = (await app.api().get(`/v1/sessions?order_id=LIST-1&limit=1&starting_after=${b.id}`).expect(200)).body;
      expect(next).toMatchObject({ has_more: false, data: [{ id: a.id }] });
      const open = (await app.api().get('/v1/sessions?status=open&provider=spayon&limit=100').expect(200)).body.data;
      expect(open.every((s: { status: string; provider: string }) => s.status === 'open' && s.provider === 'spayon')).toBe(true);
      const since = (await app.api().get(`/v1/sessions?order_id=LIST-1&created_gte=${encodeURIComponent(b.created_at)}`).expect(200)).body.data;
      expect(since.map((s: { id: string }) => s.id)).toContain(b.id);
      await app.api().get('/v1/sessions?status=paid').expect(400);
      await app.api().get('/v1/sessions?created_gte=yesterday').expect(400);
      await app.api().get('/v1/sessions/sess_01ZZZZZZZZZZZZZZZZZZZZZZZZ').expect(404);
      await app.api().get('/v1/sessions/sess_01ZZZZZZZZZZZZZZZZZZZZZZZZ/events').expect(404);
    });
  });
});

describe('Spayon with real credentials (a standalone simulator on its own port)', () => {
  let simulator: SpayonSimulator;
  let baseUrl: string;
  const credentials = { clientId: 'merchant-1', clientSecret: 'client-secret-1', callbackSecret: 'callback-secret-1' };

  beforeAll(async () => {
    simulator = new SpayonSimulator({ ...credentials, production: true });
    baseUrl = await simulator.listen();
  });
  afterAll(() => simulator.close());

  it('in production, http URLs are refused before anything is sent', async () => {
    const app = await startTestApp({
      NODE_ENV: 'production', PUBLIC_URL: 'https://paymux.example', SPAYON_BASE_URL: baseUrl,
      SPAYON_CLIENT_ID: credentials.clientId, SPAYON_CLIENT_SECRET: credentials.clientSecret, SPAYON_CALLBACK_SECRET: credentials.callbackSecret,
    });
    try {
      for (const [param, body] of [
        ['return_url', { ...customSpayonSession, return_url: 'http://shop.example/thanks' }],
        ['cancel_url', { ...customSpayonSession, cancel_url: 'http://shop.example/cart' }],
      ] as const) {
        const res = await app.api().post('/v1/sessions', body).expect(400);
        expect(res.body).toEqual(apiError('invalid_request_error', { param }));
      }
      expect(simulator.requests.createSession).toBe(0);
      const ok = await app.api().post('/v1/sessions', customSpayonSession).expect(201);
      expect(simulator.session(ok.body.provider_session_id)!.callbackUrl).toBe('https://paymux.example/v1/webhooks/spayon');
      await request(app.url).get('/simulators/spayon/session/x').expect(404);
    } finally {
      await app.close();
    }
  });

  it('wrong client credentials answer 502 with Spayon’s 401', async () => {
    const app = await startTestApp({
      SPAYON_BASE_URL: baseUrl, SPAYON_CLIENT_ID: credentials.clientId, SPAYON_CLIENT_SECRET: 'wrong-secret', SPAYON_CALLBACK_SECRET: credentials.callbackSecret,
    });
    try {
      const res = await app.api().post('/v1/sessions', customSpayonSession).expect(502);
      expect(res.body).toEqual(apiError('provider_error', { code: 'http_401' }));
      expect(JSON.stringify(res.body)).not.toContain('wrong-secret');
    } finally {
      await app.close();
    }
  });
});

