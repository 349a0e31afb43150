import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyNotification } from '../notification';
import { generateRsaKeyPair, signBody } from '../signature';
import { SmartGlocalSandbox, startSmartGlocalSandbox } from '../testing/sandbox';
import { HEADERS, Notification, SessionCreateRequest, SessionInitPaymentRequest } from '../types';
import { SmartGlocalSimulator } from './simulator';
import { TEST_CARDS } from './cards';

const createBody: SessionCreateRequest = {
  amount_details: { amount: 2500, currency: 'eur' },
  customer: { reference: 'user-1' },
  payment_options: { return_url: 'https://shop.example/return' },
  metadata: { paymux_session_id: 'sess_42' },
};

function initBody(number: string): SessionInitPaymentRequest {
  return {
    ...createBody,
    payment_details: { type: 'card', card: { type: 'bank_card', bank_card: { number, expiration_month: '05', expiration_year: '45', security_code: '123' } } },
  };
}

describe('SmartGlocalSimulator', () => {
  let sandbox: SmartGlocalSandbox;

  beforeEach(async () => {
    sandbox = await startSmartGlocalSandbox();
  });
  afterEach(() => sandbox.close());

  function notifications(): Notification[] {
    return sandbox.sink.received.map((n) => verifyNotification(n.rawBody, n.headers[HEADERS.sign.toLowerCase()] as string, sandbox.simulator.publicKeyPem));
  }

  async function widgetPay(token: string, number: string) {
    const response = await fetch(`${sandbox.baseUrl}/widget/pay`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ public_token: token, card: { number, expiration_month: '12', expiration_year: '40', security_code: '321' } }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('serves the stand-in widget at the documented file names', async () => {
    const script = await fetch(`${sandbox.baseUrl}/payment-form.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('window.SmglPaymentForm = SmglPaymentForm');
    const css = await fetch(`${sandbox.baseUrl}/payment-form.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('takes a hosted payment: create, token, widget pay, signed payment_finished notification', async () => {
    const session = await sandbox.client.createSession(createBody);
    const token = await sandbox.client.getToken({ acquiring_widget: { session_id: session.id, locale: 'en' } });
    const paid = await widgetPay(token, TEST_CARDS.succeeds);
    expect(paid).toMatchObject({ status: 200, body: { status: 'ok', session_id: session.id, redirect_url: 'https://shop.example/return' } });
    await sandbox.simulator.idle();
    const [notification] = notifications();
    expect(notification.type).toBe('payment_finished');
    expect(notification.session).toMatchObject({ id: session.id, status: 'succeeded', metadata: { paymux_session_id: 'sess_42' } });
    expect(notification.session.acquiring_payments[0]).toMatchObject({ status: 'succeeded', payment_details: { card: { last4: '4242' } } });
    expect(sandbox.sink.received[0].rawBody.toString()).not.toContain(TEST_CARDS.succeeds);
  });

  it('refuses an unknown or expired widget token', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ simulator: { clock: { now: () => now }, tokenTtlSeconds: 60 } });
    const session = await sandbox.client.createSession(createBody);
    const token = await sandbox.client.getToken({ acquiring_widget: { session_id: session.id } });
    expect((await widgetPay('pt_unknown', TEST_CARDS.succeeds)).status).toBe(401);
    now = new Date('2030-01-01T00:01:01Z');
    expect((await widgetPay(token, TEST_CARDS.succeeds)).body).toMatchObject({ status: 'error', error: { code: 'invalid_token' } });
  });

  it('asks for 3-D Secure on the magic card and succeeds when the buyer passes', async () => {
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.requires3ds), { idempotencyKey: 'k' });
    const payment = session.acquiring_payments[0];
    expect(payment.status).toBe('in_progress');
    const url = payment.customer_interaction!.redirect.url;
    expect(url).toBe(`${sandbox.baseUrl}/3ds/${payment.id}`);
    expect(await (await fetch(url)).text()).toContain('Pass 3-D Secure');
    const answer = await fetch(url, { method: 'POST', body: new URLSearchParams({ result: 'pass' }), redirect: 'manual' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('https://shop.example/return');
    await sandbox.simulator.idle();
    expect(notifications().map((n) => n.session.status)).toEqual(['succeeded']);
  });

  it('fails the payment when the buyer fails 3-D Secure', async () => {
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.requires3ds), { idempotencyKey: 'k' });
    sandbox.simulator.complete3ds(session.acquiring_payments[0].id, false);
    await sandbox.simulator.idle();
    const [notification] = notifications();
    expect(notification.session.status).toBe('failed');
    expect(notification.session.acquiring_payments[0]).toMatchObject({ status: 'failed', error: { code: 'three_d_secure_failed' } });
  });

  it('declines the decline card with a reason', async () => {
    await sandbox.client.initPayment(initBody(TEST_CARDS.declined), { idempotencyKey: 'k' });
    await sandbox.simulator.idle();
    expect(notifications()[0].session.acquiring_payments[0]).toMatchObject({ status: 'failed', error: { code: 'card_declined' } });
  });

  it('names a bad card field without echoing card data', async () => {
    const body = initBody('4242424242424241');
    const error = await sandbox.client.initPayment(body, { idempotencyKey: 'k' }).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'invalid_card' });
    expect(JSON.stringify(error) + String(error)).not.toContain('4242424242424241');
  });

  it('leaves payments in progress with autoProcess off, for the pay and fail helpers', async () => {
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ simulator: { autoProcess: false } });
    const a = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'a' });
    const b = await sandbox.client.createSession(createBody);
    await sandbox.simulator.idle();
    expect(sandbox.sink.received).toHaveLength(0);
    expect(sandbox.simulator.fail(a.id).status).toBe('failed');
    expect(sandbox.simulator.pay(b.id).acquiring_payments[0].status).toBe('succeeded');
    await sandbox.simulator.idle();
    expect(notifications().map((n) => n.session.status).sort()).toEqual(['failed', 'succeeded']);
    expect(() => sandbox.simulator.pay(b.id)).toThrow(/succeeded/);
  });

  it('retries a notification the partner does not take with a 2xx', async () => {
    sandbox.sink.status = 500;
    const session = await sandbox.client.createSession(createBody);
    sandbox.simulator.pay(session.id);
    await sandbox.simulator.idle();
    expect(sandbox.simulator.deliveries.map((d) => d.status)).toEqual([500, 500, 500]);
  });

  it('signs notifications with a wrong key when the knob says so', async () => {
    sandbox.simulator.faults.set({ wrongSignature: true });
    const session = await sandbox.client.createSession(createBody);
    sandbox.simulator.pay(session.id);
    await sandbox.simulator.idle();
    expect(() => notifications()).toThrow(/does not verify/);
  });

  it('works mounted under a base path inside another server', async () => {
    const merchant = generateRsaKeyPair();
    const simulator = new SmartGlocalSimulator({ basePath: '/simulators/smart-glocal', project: 'p', merchantPublicKeyPem: merchant.publicKeyPem });
    const server: Server = createServer((req, res) => {
      if (simulator.http.owns(req.url)) void simulator.handle(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const body = Buffer.from(JSON.stringify(createBody));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simulators/smart-glocal`;
      const response = await fetch(`${base}/api/v1/session/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HEADERS.project]: 'p', [HEADERS.sign]: signBody(body, merchant.privateKeyPem) },
        body,
      });
      expect(await response.json()).toMatchObject({ status: 'ok', session: { status: 'in_progress' } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await simulator.close();
    }
  });
});
