import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyNotification } from '../notification';
import { generateRsaKeyPair, signBody } from '../signature';
import { SmartGlocalSandbox, startSmartGlocalSandbox } from './sandbox';
import { HEADERS, Notification, SessionCreateRequest, SessionInitPaymentRequest } from '../types';
import { DEFAULT_NOTIFICATION_POLICY, NOTIFICATION_RETRY_INTERVALS_MS, scaledNotificationPolicy } from './account';
import { SmartGlocalSimulator } from './simulator';
import { TEST_CARDS } from './cards';

const createBody = {
  amount_details: { amount: 2500, currency: 'eur' },
  customer: { reference: 'user-1' },
  payment_options: { return_url: 'https://shop.example/return' },
  metadata: { paymux_session_id: 'sess_42' },
} satisfies SessionCreateRequest;

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
    return sandbox.receiver.received.map((n) => verifyNotification(n.rawBody, n.headers[HEADERS.sign.toLowerCase()] as string, sandbox.simulator.publicKeyPem));
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

  /** Waits until the receiver holds `count` notifications, then returns them verified. */
  async function received(count: number): Promise<Notification[]> {
    for (let i = 0; i < 200 && sandbox.receiver.received.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    await sandbox.simulator.idle();
    return notifications();
  }

  it('takes a hosted payment: created session, token, widget pay, ready_to_confirm, session/confirm, payment_finished accepted', async () => {
    const session = await sandbox.client.createSession(createBody);
    expect(session).toMatchObject({ status: 'created', acquiring_payments: [] });
    expect(session).not.toHaveProperty('metadata');
    const token = await sandbox.client.getToken({ acquiring_widget: { session_id: session.id, locale: 'en' } });
    const paid = await widgetPay(token, TEST_CARDS.succeeds);
    expect(paid).toMatchObject({ status: 200, body: { status: 'ok', session_id: session.id, redirect_url: 'https://shop.example/return' } });

    const [ready] = await received(1);
    expect(ready.type).toBe('ready_to_confirm');
    expect(ready.session).toMatchObject({ id: session.id, status: 'in_progress', next_action: 'confirm' });
    expect(ready.session).not.toHaveProperty('metadata');
    expect(ready.session.acquiring_payments[0]).toMatchObject({
      status: 'pending',
      amount_details: { amount: 2500, currency: 'eur' },
      metadata: { paymux_session_id: 'sess_42' },
      payment_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    });

    const confirmed = await sandbox.client.confirmSession(session.id);
    expect(confirmed.status).toBe('in_progress');
    const [, finished] = await received(2);
    expect(finished.type).toBe('payment_finished');
    expect(finished.session).toMatchObject({ id: session.id, status: 'accepted' });
    expect(finished.session).not.toHaveProperty('next_action');
    expect(finished.session.acquiring_payments[0]).toMatchObject({ status: 'succeeded', transaction_info: { rrn: expect.any(String), auth_code: expect.any(String) } });
    expect((await sandbox.client.sessionStatus(session.id)).status).toBe('accepted');
    expect(sandbox.receiver.received.map((n) => n.rawBody.toString()).join()).not.toContain(TEST_CARDS.succeeds);
    await expect(sandbox.client.confirmSession(session.id)).rejects.toMatchObject({ code: 'invalid_session_state' });
  });

  it('with automatic confirmation on the account sends no ready_to_confirm and refuses session/confirm', async () => {
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ simulator: { autoConfirmation: true } });
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'k' });
    const [finished] = await received(1);
    expect(finished).toMatchObject({ type: 'payment_finished', session: { status: 'accepted' } });
    await expect(sandbox.client.confirmSession(session.id)).rejects.toMatchObject({ code: 'invalid_session_state' });
    expect(notifications().map((n) => n.type)).toEqual(['payment_finished']);
  });

  it('card data: ready_to_confirm, then action_required with the documented redirect, then payment_finished once 3-D Secure passes', async () => {
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.requires3ds), { idempotencyKey: 'k' });
    expect(session.acquiring_payments[0]).toMatchObject({ status: 'in_progress', metadata: { paymux_session_id: 'sess_42' } });
    await received(1);
    await sandbox.client.confirmSession(session.id);
    const [, action] = await received(2);
    expect(action.type).toBe('action_required');
    const payment = action.session.acquiring_payments[0];
    expect(payment.status).toBe('pending');
    const base = `${sandbox.baseUrl}/3ds/${payment.id}`;
    expect(payment.customer_interaction).toEqual({
      type: 'redirect',
      redirect: { url: `${base}?session=${session.id}`, base_url: base, method: 'POST', qs: { session: session.id }, params: { PaReq: expect.any(String), MD: payment.id } },
    });
    // The hand-off posts PaReq and MD; the bank's page answers with its pass / fail buttons.
    const handOff = await fetch(`${base}?session=${session.id}`, { method: 'POST', body: new URLSearchParams({ PaReq: 'x', MD: payment.id }) });
    expect(await handOff.text()).toContain('Pass 3-D Secure');
    const answer = await fetch(base, { method: 'POST', body: new URLSearchParams({ result: 'pass' }), redirect: 'manual' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('https://shop.example/return');
    const all = await received(3);
    expect(all.map((n) => [n.type, n.session.status, n.session.acquiring_payments[0].status])).toEqual([
      ['ready_to_confirm', 'in_progress', 'pending'],
      ['action_required', 'in_progress', 'pending'],
      ['payment_finished', 'accepted', 'succeeded'],
    ]);
  });

  it('widget: 3-D Secure comes first (action_required), then ready_to_confirm', async () => {
    const session = await sandbox.client.createSession(createBody);
    const token = await sandbox.client.getToken({ acquiring_widget: { session_id: session.id } });
    const paying = await widgetPay(token, TEST_CARDS.requires3ds);
    expect(paying.body.redirect_url).toBe(`${sandbox.baseUrl}/3ds/${paying.body.payment_id as string}`);
    await received(1);
    sandbox.simulator.complete3ds(paying.body.payment_id as string, true);
    await received(2);
    expect(notifications().map((n) => n.type)).toEqual(['action_required', 'ready_to_confirm']);
  });

  it('fails the payment when the buyer fails 3-D Secure: session cancelled, payment failed', async () => {
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.requires3ds), { idempotencyKey: 'k' });
    await received(1);
    await sandbox.client.confirmSession(session.id);
    await received(2);
    sandbox.simulator.complete3ds(session.acquiring_payments[0].id, false);
    const [, , finished] = await received(3);
    expect(finished.session.status).toBe('cancelled');
    expect(finished.session.acquiring_payments[0]).toMatchObject({ status: 'failed', error: { code: 'three_d_secure_failed' } });
  });

  it('declines the decline card with a reason once confirmed', async () => {
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.declined), { idempotencyKey: 'k' });
    await received(1);
    await sandbox.client.confirmSession(session.id);
    const [, finished] = await received(2);
    expect(finished.session.status).toBe('cancelled');
    expect(finished.session.acquiring_payments[0]).toMatchObject({ status: 'failed', error: { code: 'card_declined' } });
  });

  it('delayed capture: ready_to_capture with next_action capture, then session/capture finishes it', async () => {
    sandbox.simulator.account.set({ delayedCapture: true });
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'k' });
    await received(1);
    await sandbox.client.confirmSession(session.id);
    const [, hold] = await received(2);
    expect(hold).toMatchObject({ type: 'ready_to_capture', session: { status: 'in_progress', next_action: 'capture' } });
    expect(hold.session.acquiring_payments[0].status).toBe('pending');
    await sandbox.client.captureSession(session.id);
    const [, , finished] = await received(3);
    expect(finished.session).toMatchObject({ status: 'accepted', acquiring_payments: [{ status: 'succeeded' }] });
  });

  it('session/cancel: a created session is cancelled; one waiting for confirmation ends cancelled with the payment failed; one in progress is refused', async () => {
    const created = await sandbox.client.createSession(createBody);
    expect((await sandbox.client.cancelSession(created.id)).status).toBe('cancelled');
    expect(sandbox.receiver.received).toHaveLength(0);

    const waiting = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'w' });
    await received(1);
    await sandbox.client.cancelSession(waiting.id);
    const [, finished] = await received(2);
    expect(finished.session).toMatchObject({ status: 'cancelled', acquiring_payments: [{ status: 'failed', error: { code: 'cancelled' } }] });

    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ simulator: { autoProcess: false } });
    const busy = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'b' });
    await expect(sandbox.client.cancelSession(busy.id)).rejects.toMatchObject({ code: 'invalid_session_state' });
  });

  it('an operation left unconfirmed for 240 minutes of its clock ends cancelled, with payment_finished', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ simulator: { clock: { now: () => now } } });
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'k' });
    await received(1);
    now = new Date('2030-01-01T03:59:59Z');
    expect((await sandbox.client.sessionStatus(session.id)).next_action).toBe('confirm');
    now = new Date('2030-01-01T04:00:00Z');
    const after = await sandbox.client.sessionStatus(session.id);
    expect(after).toMatchObject({ status: 'cancelled', acquiring_payments: [{ status: 'failed', error: { code: 'confirmation_timeout' } }] });
    const [, finished] = await received(2);
    expect(finished).toMatchObject({ type: 'payment_finished', session: { status: 'cancelled' } });
  });

  it('the error knob shows the session error (not final) first, then its final status', async () => {
    sandbox.simulator.account.set({ autoConfirmation: true, errorFirst: true, errorForMs: 10 });
    await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'k' });
    const all = await received(2);
    expect(all.map((n) => [n.type, n.session.status, n.session.acquiring_payments[0].status])).toEqual([
      ['payment_finished', 'error', 'failed'],
      ['payment_finished', 'accepted', 'succeeded'],
    ]);
    expect(all[0].session.error).toEqual({ code: 'internal_error', description: expect.any(String) });
  });

  it('amount faults: the payment is charged and reported with another amount or currency', async () => {
    sandbox.simulator.account.set({ chargedAmountOffset: 1 });
    const a = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'a' });
    expect(a.acquiring_payments[0].amount_details).toEqual({ amount: 2501, currency: 'eur' });
    sandbox.simulator.account.set({ chargedAmountOffset: 0, chargedCurrency: 'usd' });
    const b = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'b' });
    expect((await sandbox.client.sessionStatus(b.id)).acquiring_payments[0].amount_details).toEqual({ amount: 2500, currency: 'usd' });
  });

  it('the refuse-confirm knob answers session/confirm with the error envelope, and the next confirm is taken', async () => {
    sandbox.simulator.account.set({ refuseConfirms: 1 });
    const session = await sandbox.client.initPayment(initBody(TEST_CARDS.succeeds), { idempotencyKey: 'k' });
    await received(1);
    await expect(sandbox.client.confirmSession(session.id)).rejects.toMatchObject({ httpStatus: 500, code: 'internal_error' });
    expect((await sandbox.client.sessionStatus(session.id)).next_action).toBe('confirm');
    await sandbox.client.confirmSession(session.id);
    await received(2);
    expect(notifications().map((n) => n.session.status)).toEqual(['in_progress', 'accepted']);
  });

  it('refuses an unknown, expired or used widget token', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ simulator: { clock: { now: () => now }, tokenTtlSeconds: 60 } });
    const session = await sandbox.client.createSession(createBody);
    const token = await sandbox.client.getToken({ acquiring_widget: { session_id: session.id } });
    expect((await widgetPay('pt_unknown', TEST_CARDS.succeeds)).status).toBe(401);
    now = new Date('2030-01-01T00:01:01Z');
    expect((await widgetPay(token, TEST_CARDS.succeeds)).body).toMatchObject({ status: 'error', error: { code: 'invalid_token' } });
    now = new Date('2030-01-01T00:00:00Z');
    const fresh = await sandbox.client.getToken({ acquiring_widget: { session_id: session.id } });
    expect((await widgetPay(fresh, TEST_CARDS.succeeds)).status).toBe(200);
    expect((await widgetPay(fresh, TEST_CARDS.succeeds)).status).toBe(401);
  });

  it('session/status of an unknown session is the error envelope', async () => {
    await expect(sandbox.client.sessionStatus('ps_nope')).rejects.toMatchObject({ code: 'session_not_found' });
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
    expect(sandbox.receiver.received).toHaveLength(0);
    expect(sandbox.simulator.fail(a.id).status).toBe('cancelled');
    expect(sandbox.simulator.pay(b.id).acquiring_payments[0].status).toBe('succeeded');
    await sandbox.simulator.idle();
    expect(notifications().map((n) => n.session.status).sort()).toEqual(['accepted', 'cancelled']);
    expect(() => sandbox.simulator.pay(b.id)).toThrow(/accepted/);
  });

  it('resends a notification the partner does not take with a 2xx at growing intervals, and stops after 30 minutes', async () => {
    expect(NOTIFICATION_RETRY_INTERVALS_MS.reduce((sum, ms) => sum + ms, 0)).toBe(30 * 60_000);
    expect(Math.max(...NOTIFICATION_RETRY_INTERVALS_MS)).toBe(15 * 60_000);
    expect(DEFAULT_NOTIFICATION_POLICY.attempts).toBe(NOTIFICATION_RETRY_INTERVALS_MS.length + 1);
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ simulator: { callbackPolicy: scaledNotificationPolicy(0.001) } });
    sandbox.receiver.defaultStatus = 500;
    const session = await sandbox.client.createSession(createBody);
    sandbox.simulator.pay(session.id);
    await sandbox.simulator.idle();
    const deliveries = sandbox.simulator.deliveries;
    expect(deliveries.map((d) => d.status)).toEqual([500, 500, 500, 500, 500, 500]);
    const gaps = deliveries.slice(1).map((d, i) => d.at.getTime() - deliveries[i].at.getTime());
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);
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
      expect(await response.json()).toMatchObject({ status: 'ok', session: { status: 'created' } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await simulator.close();
    }
  });
});
