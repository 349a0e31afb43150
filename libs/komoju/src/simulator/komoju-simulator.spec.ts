import { verifyWebhookSignature } from '../signature';
import type { KomojuCustomer, KomojuEvent, KomojuPayment } from '../types';
import { KomojuSandbox } from './sandbox';

describe('KomojuSimulator', () => {
  let sandbox: KomojuSandbox;

  beforeAll(async () => {
    sandbox = await KomojuSandbox.start();
  });
  afterEach(async () => {
    await sandbox.settle();
    sandbox.simulator.faults.reset();
    sandbox.simulator.resetKomojuFaults();
    sandbox.receiver.defaultStatus = 200;
    sandbox.receiver.clear();
  });
  afterAll(() => sandbox.close());

  const events = <T>() => sandbox.receiver.received.map((hook) => JSON.parse(hook.rawBody.toString('utf8')) as KomojuEvent<T>);

  it('shows a hosted page offering the session\'s payment types, and returns to return_url with session_id after paying', async () => {
    const session = await sandbox.client.createSession({
      mode: 'payment', amount: 1050, currency: 'USD', return_url: 'https://shop.example/done?order=7',
      payment_types: ['credit_card', 'paypay'], line_items: [{ description: 'Case', amount: 1050, quantity: 1 }],
    });
    const html = await (await fetch(session.session_url)).text();
    expect(html).toContain('<p class="amount">$10.50</p>');
    expect(html).toContain('value="paypay"> PayPay</label>');
    expect(html).toContain('value="credit_card" checked> Credit card</label>');
    expect(html).not.toContain('value="konbini"');

    const outcome = await sandbox.customerActs(session.session_url, 'pay', 'paypay');
    expect(outcome.status).toBe(303);
    const back = new URL(outcome.location!);
    expect(back.origin + back.pathname).toBe('https://shop.example/done');
    expect(back.searchParams.get('order')).toBe('7');
    expect(back.searchParams.get('session_id')).toBe(session.id);

    const completed = await sandbox.client.getSession(session.id);
    expect(completed).toMatchObject({ status: 'completed', payment: { status: 'captured', amount: 1050, currency: 'USD', payment_details: { type: 'paypay' }, session: session.id } });
  });

  it('signs each webhook over its raw body with KOMOJU\'s headers and envelope', async () => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', metadata: { paymux_session_id: 'sess_1' } });
    sandbox.simulator.pay(session.id);
    await sandbox.settle();
    const [hook] = sandbox.receiver.received;
    expect(hook.headers['x-komoju-event']).toBe('payment.captured');
    expect(hook.headers['user-agent']).toBe('Komoju-Webhook');
    expect(hook.headers['x-komoju-id']).toEqual(expect.any(String));
    expect(verifyWebhookSignature(hook.rawBody, hook.headers['x-komoju-signature'] as string, sandbox.webhookSecret)).toBe(true);
    const [event] = events<KomojuPayment>();
    expect(event).toMatchObject({ id: expect.stringMatching(/^.{25}$/), type: 'payment.captured', resource: 'event', created_at: expect.any(String), reason: null });
    // X-Komoju-ID names the delivery, not the event.
    expect(event.id).not.toBe(hook.headers['x-komoju-id']);
    expect(event.data).toMatchObject({ resource: 'payment', status: 'captured', session: session.id, metadata: { paymux_session_id: 'sess_1' } });
  });

  it('authorises only when capture is manual', async () => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', payment_data: { capture: 'manual' } });
    sandbox.simulator.pay(session.id);
    await sandbox.settle();
    expect(events().map((e) => e.type)).toEqual(['payment.authorized']);
  });

  it('lets the customer retry after a failed attempt, and abandon back to return_url', async () => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', return_url: 'https://shop.example/r' });
    const failed = await sandbox.customerActs(session.session_url, 'fail');
    expect(failed.status).toBe(200);
    expect(failed.html).toContain('may try again');
    expect((await sandbox.client.getSession(session.id)).status).toBe('pending');
    const left = await sandbox.customerActs(session.session_url, 'abandon');
    expect(new URL(left.location!).searchParams.get('session_id')).toBe(session.id);
    await sandbox.customerActs(session.session_url, 'pay');
    await sandbox.settle();
    expect(events().map((e) => e.type)).toEqual(['payment.failed', 'payment.captured']);
  });

  it('refuses to complete a session twice or with a payment type it does not offer', async () => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', payment_types: ['konbini'] });
    expect((await sandbox.customerActs(session.session_url, 'pay', 'credit_card')).status).toBe(409);
    expect((await sandbox.customerActs(session.session_url, 'pay', 'konbini')).status).toBe(200);
    expect((await sandbox.customerActs(session.session_url, 'pay')).status).toBe(409);
  });

  it('marks a session expired (status still pending, no expires_at) after expires_in_seconds on the injected clock', async () => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', expires_in_seconds: 60 });
    expect(session).not.toHaveProperty('expires_at');
    sandbox.clock.advance(59_000);
    expect(await sandbox.client.getSession(session.id)).toMatchObject({ status: 'pending', expired: false, payment: null });
    sandbox.clock.advance(1_000);
    expect(await sandbox.client.getSession(session.id)).toMatchObject({ status: 'pending', expired: true, payment: null });
    expect((await sandbox.customerActs(session.session_url, 'pay')).status).toBe(409);
  });

  it.each(['konbini', 'bank_transfer', 'pay_easy'])('reserves a %s payment (authorized, with payment_deadline), then takes it at the store: payment.captured', async (type) => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', payment_types: [type] });
    await sandbox.customerActs(session.session_url, 'pay', type);
    const reserved = await sandbox.client.getSession(session.id);
    expect(reserved).toMatchObject({ status: 'completed', payment: { status: 'authorized', payment_details: { type }, session: session.id, captured_at: null } });
    expect(Date.parse(reserved.payment!.payment_deadline!)).toBeGreaterThan(sandbox.clock.now().getTime());
    const page = await (await fetch(session.session_url)).text();
    expect(page).toContain('Pay at the store');
    expect(page).toContain('<p class="amount">¥1,000</p>');
    const paid = await fetch(`${session.session_url}/pay-at-store`, { method: 'POST' });
    expect(paid.status).toBe(200);
    expect(await sandbox.client.getSession(session.id)).toMatchObject({ status: 'completed', payment: { status: 'captured', captured_at: expect.any(String) } });
    await sandbox.settle();
    expect(events<KomojuPayment>().map((e) => [e.type, e.data.status])).toEqual([['payment.authorized', 'authorized'], ['payment.captured', 'captured']]);
  });

  it('expires a konbini reservation at its payment_deadline: payment.expired', async () => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', payment_types: ['konbini'] });
    const reserved = sandbox.simulator.pay(session.id, 'konbini');
    sandbox.clock.advance(Date.parse(reserved.payment!.payment_deadline!) - sandbox.clock.now().getTime());
    expect(await sandbox.client.getSession(session.id)).toMatchObject({ status: 'completed', payment: { status: 'expired' } });
    await sandbox.settle();
    const ofThisSession = events<KomojuPayment>().filter((e) => e.data.session === session.id);
    expect(ofThisSession.map((e) => e.type)).toEqual(['payment.authorized', 'payment.expired']);
  });

  it('cancels a pending session with POST /sessions/{id}/cancel, and a reserved payment with payment.cancelled', async () => {
    const pending = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' });
    expect(await sandbox.client.cancelSession(pending.id)).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(String) });
    const reserved = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', payment_types: ['konbini'] });
    sandbox.simulator.pay(reserved.id);
    sandbox.simulator.cancelPayment(reserved.id);
    await sandbox.settle();
    expect(events<KomojuPayment>().map((e) => [e.type, e.data.status])).toEqual([['payment.authorized', 'authorized'], ['payment.cancelled', 'cancelled']]);
  });

  it('captures a manually captured card payment when the merchant captures it', async () => {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', payment_data: { capture: 'manual' } });
    sandbox.simulator.pay(session.id, 'credit_card');
    sandbox.simulator.capture(session.id);
    await sandbox.settle();
    expect(events().map((e) => e.type)).toEqual(['payment.authorized', 'payment.captured']);
  });

  it('charges and reports a different amount or currency when the fault knobs say so', async () => {
    sandbox.simulator.setKomojuFaults({ amountDelta: 1 });
    const one = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' });
    expect(sandbox.simulator.pay(one.id).payment).toMatchObject({ amount: 1001, currency: 'JPY' });
    sandbox.simulator.setKomojuFaults({ amountDelta: 0, currency: 'USD' });
    const two = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' });
    expect(sandbox.simulator.pay(two.id).payment).toMatchObject({ amount: 1000, currency: 'USD' });
  });

  describe('idempotency', () => {
    const body = { mode: 'payment' as const, amount: 1000, currency: 'JPY' };

    it('answers the first answer to the same key and body, 422 to another body, and forgets the key after 24 h', async () => {
      const first = await sandbox.client.createSession(body, { idempotencyKey: 'idem-1' });
      expect((await sandbox.client.createSession(body, { idempotencyKey: 'idem-1' })).id).toBe(first.id);
      await expect(sandbox.client.createSession({ ...body, amount: 2000 }, { idempotencyKey: 'idem-1' })).rejects.toMatchObject({ httpStatus: 422, code: 'unprocessable_entity' });
      sandbox.clock.advance(24 * 60 * 60 * 1000);
      expect((await sandbox.client.createSession(body, { idempotencyKey: 'idem-1' })).id).not.toBe(first.id);
    });

    it('answers 409 to a retry while the first request is still running', async () => {
      sandbox.simulator.setKomojuFaults({ createDelayMs: 300 });
      const auth = `Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}`;
      const post = () => fetch(`${sandbox.apiBaseUrl}/sessions`, {
        method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', 'X-KOMOJU-IDEMPOTENCY': 'idem-inflight' }, body: JSON.stringify(body),
      });
      const first = post();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = await post();
      expect(second.status).toBe(409);
      expect((await first).status).toBe(200);
    });

    it.each([['101 characters', 'k'.repeat(101)], ['non-ASCII characters', 'キー']])('refuses a key of %s with 400', async (_, key) => {
      const auth = `Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}`;
      const answer = await fetch(`${sandbox.apiBaseUrl}/sessions`, {
        method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', 'X-KOMOJU-IDEMPOTENCY': encodeURI(key) === key ? key : Buffer.from(key).toString('latin1') }, body: JSON.stringify(body),
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ error: { message: expect.any(String), code: 'bad_request', param: 'X-KOMOJU-IDEMPOTENCY' } });
    });
  });

  it('accepts Basic auth only with the secret key as user name and an empty password', async () => {
    const answer = await fetch(`${sandbox.apiBaseUrl}/sessions/x`, { headers: { authorization: `Basic ${Buffer.from(`${sandbox.secretKey}:pw`).toString('base64')}` } });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ error: { message: expect.any(String), code: 'unauthorized', param: null } });
  });

  it('creates a customer in customer mode, and updates it when customer_id is given in customer_payment mode', async () => {
    const first = await sandbox.client.createSession({ mode: 'customer', external_customer_id: 'user-1', email: 'a@example.com' });
    sandbox.simulator.pay(first.id);
    await sandbox.settle();
    const created = events<KomojuCustomer>();
    expect(created.map((e) => e.type)).toEqual(['customer.created', 'customer.updated']);
    const customerId = created[0].data.id;
    expect(first.customer_id).toBe(customerId);
    expect(created[0].data).toEqual({ id: customerId, resource: 'customer', email: 'a@example.com', source: expect.anything(), metadata: {}, created_at: expect.any(String), locale: 'ja' });
    expect(await sandbox.client.getSession(first.id)).toMatchObject({ status: 'completed', customer_id: customerId, payment: null });

    sandbox.receiver.clear();
    const second = await sandbox.client.createSession({ mode: 'customer_payment', customer_id: customerId, amount: 500, currency: 'JPY' });
    sandbox.simulator.pay(second.id);
    await sandbox.settle();
    const both = events<KomojuPayment & KomojuCustomer>();
    expect(both.map((e) => e.type)).toEqual(['customer.updated', 'payment.captured']);
    expect(both[1].data).toMatchObject({ customer: customerId, session: second.id });
  });

  it('retries a delivery that got no 2xx, with the same X-Komoju-ID', async () => {
    sandbox.receiver.defaultStatus = 500;
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' });
    sandbox.simulator.pay(session.id);
    await sandbox.settle();
    const ids = sandbox.receiver.received.map((hook) => hook.headers['x-komoju-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('honours the duplicate, out-of-order and wrong-signature knobs', async () => {
    sandbox.simulator.faults.set({ duplicateCallbacks: true, wrongSignature: true });
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' });
    sandbox.simulator.pay(session.id);
    await sandbox.settle();
    expect(sandbox.receiver.received).toHaveLength(2);
    for (const hook of sandbox.receiver.received) {
      expect(verifyWebhookSignature(hook.rawBody, hook.headers['x-komoju-signature'] as string, sandbox.webhookSecret)).toBe(false);
    }

    sandbox.simulator.faults.reset();
    sandbox.simulator.faults.set({ outOfOrderCallbacks: true });
    sandbox.receiver.clear();
    const retried = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' });
    sandbox.simulator.fail(retried.id);
    sandbox.simulator.pay(retried.id);
    await sandbox.settle();
    expect(events().map((e) => e.type)).toEqual(['payment.captured', 'payment.failed']);
  });

  it('counts API calls but not page views', async () => {
    const before = sandbox.simulator.requestCount();
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' });
    await fetch(session.session_url);
    expect(sandbox.simulator.requestCount() - before).toBe(1);
    expect(sandbox.simulator.requestCount({ method: 'POST', path: '/api/v1/sessions' })).toBeGreaterThan(0);
  });
});
