import { KomojuSimulator } from '@paymux/komoju';
import { verifySignature } from '@paymux/webhook-signature';
import { Clock } from '../../src/clock';
import { ReconcileSessionsJob } from '../../src/jobs/reconcile-sessions.job';
import { Event } from '../../src/notifications/event.entity';
import { KOMOJU_DEFINITION, KomojuSimulatorSetup } from '../../src/providers/komoju/komoju.definition';
import { simulatorToken } from '../../src/providers/provider-module';
import { apiError, startTestApp, TestApp } from '../support/app';
import { deliverNow, Receiver, startReceiver } from '../support/notifications';
import { waitFor } from '../support/wait';

/**
 * Manual capture through KOMOJU (`payment_data.capture: "manual"`, `POST /payments/{id}/capture`):
 * the real app on a fresh database, KOMOJU's simulator served by the app, real HTTP and signatures.
 */

const DAY_MS = 86_400_000;
let orderSeq = 0;
const manual = (fields: object = {}) => ({
  provider: 'komoju', amount: 1000, currency: 'JPY', return_url: 'https://shop.example/done', capture: 'manual', order_id: `cap-${++orderSeq}`, ...fields,
});

function manualCaptureSuite() {
  const h = { app: null as unknown as TestApp, simulator: null as unknown as KomojuSimulator };
  beforeAll(async () => {
    h.app = await startTestApp({ PROVIDER_TIMEOUT_MS: '500', RECONCILE_AFTER_SECONDS: '1' });
    h.simulator = h.app.paymux.app.get<symbol, KomojuSimulatorSetup>(simulatorToken(KOMOJU_DEFINITION)).simulator;
    h.simulator.callbacks.setPolicy({ attempts: 2, intervalMs: 10 });
  });
  afterEach(async () => {
    h.simulator.faults.reset();
    await h.simulator.idle();
    h.app.paymux.app.get(Clock).reset();
  });
  afterAll(() => h.app.close());
  const api = () => h.app.api();
  const getSession = async (id: string) => (await api().get(`/v1/sessions/${id}`).expect(200)).body;
  const waitForStatus = (id: string, status: string) => waitFor(async () => ((await getSession(id)).status === status ? getSession(id) : null));
  /** A manual-capture session whose card payment KOMOJU now holds (`requires_capture`). */
  async function heldSession(fields: object = {}) {
    const created = (await api().post('/v1/sessions', manual(fields)).expect(201)).body;
    h.simulator.pay(created.provider_session_id, 'credit_card');
    return waitForStatus(created.id, 'requires_capture');
  }
  return { h, api, getSession, waitForStatus, heldSession, clock: () => h.app.paymux.app.get(Clock) };
}

describe('manual capture through KOMOJU', () => {
  const suite = manualCaptureSuite();
  const { api, getSession, waitForStatus, heldSession, clock } = suite;
  let app: TestApp;
  let simulator: KomojuSimulator;
  beforeAll(() => {
    ({ app, simulator } = suite.h);
  });
  const eventTypes = async (sessionId: string) => (await app.em().find(Event, { sessionId }, { orderBy: { createdAt: 'asc', id: 'asc' } })).map((e) => e.type);
  const captureRequests = () => simulator.requestCount({ method: 'POST', path: /\/payments\/[^/]+\/capture$/ });
  /** Capture calls KOMOJU received since this test began. */
  let capturesAtStart = 0;
  beforeEach(() => {
    capturesAtStart = captureRequests();
  });
  const captureCalls = () => captureRequests() - capturesAtStart;

  it('creates the KOMOJU session with payment_data.capture manual and shows capture: manual', async () => {
    const created = (await api().post('/v1/sessions', manual()).expect(201)).body;
    expect(created).toMatchObject({ status: 'open', capture: 'manual', captured_amount: null, capture_before: null });
    expect(simulator.session(created.provider_session_id).payment_data).toMatchObject({ capture: 'manual' });
    const automatic = (await api().post('/v1/sessions', manual({ capture: undefined })).expect(201)).body;
    expect(automatic.capture).toBe('automatic');
    expect(simulator.session(automatic.provider_session_id).payment_data?.capture).toBeUndefined();
  });

  it.each([
    ['spayon', { provider: 'spayon', currency: 'AMD', amount: 500000 }],
    ['smart_glocal', { provider: 'smart_glocal', currency: 'USD', customer: { reference: 'buyer-1' } }],
  ])('refuses capture: manual for %s, which offers no capture here, naming the provider', async (name, fields) => {
    const res = await api().post('/v1/sessions', manual(fields)).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { code: 'capture_unsupported', param: 'capture', message: expect.stringContaining(`provider ${name}`) }));
  });

  it('refuses an unknown capture value', async () => {
    const res = await api().post('/v1/sessions', manual({ capture: 'later' })).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { param: 'capture' }));
  });

  it('a card authorized under manual capture is requires_capture with its hold deadline, announced by session.requires_capture', async () => {
    const held = await heldSession();
    const paymentCreated = Date.parse(simulator.session(held.provider_session_id).payment!.created_at);
    expect(held).toMatchObject({ status: 'requires_capture', captured_amount: null, completed_at: null });
    expect(Date.parse(held.capture_before)).toBe(paymentCreated + 7 * DAY_MS);
    expect(held.expires_at).toBe(held.capture_before);
    expect(await eventTypes(held.id)).toEqual(['session.requires_capture']);
  });

  it('a konbini payment on a manual-capture session is a reservation, not a hold: processing, and cannot be captured', async () => {
    const created = (await api().post('/v1/sessions', manual({ payment_methods: ['konbini'] })).expect(201)).body;
    simulator.pay(created.provider_session_id, 'konbini');
    const reserved = await waitForStatus(created.id, 'processing');
    expect(reserved.capture_before).toBeNull();
    const res = await api().post(`/v1/sessions/${created.id}/capture`, {}).expect(409);
    expect(res.body).toEqual(apiError('conflict_error', { code: 'session_not_capturable' }));
    expect(captureCalls()).toBe(0);
  });

  it('captures the whole hold: succeeded with captured_amount, session.captured once, the later payment.captured changes nothing', async () => {
    const held = await heldSession();
    const captured = (await api().post(`/v1/sessions/${held.id}/capture`, {}).expect(200)).body;
    expect(captured).toMatchObject({ status: 'succeeded', captured_amount: 1000, amount: 1000 });
    await simulator.idle();
    const after = await getSession(held.id);
    expect(after).toMatchObject({ status: 'succeeded', captured_amount: 1000 });
    expect(after.amount_mismatch).toBeUndefined();
    expect(simulator.session(held.provider_session_id).payment).toMatchObject({ status: 'captured', amount: 1000 });
    expect(await eventTypes(held.id)).toEqual(['session.requires_capture', 'session.captured']);
  });

  it('captures part of the hold (KOMOJU takes amount): captured_amount is the part, never an amount mismatch', async () => {
    const held = await heldSession();
    const captured = (await api().post(`/v1/sessions/${held.id}/capture`, { amount: 600 }).expect(200)).body;
    expect(captured).toMatchObject({ status: 'succeeded', amount: 1000, captured_amount: 600 });
    await simulator.idle();
    expect(simulator.session(held.provider_session_id).payment).toMatchObject({ status: 'captured', amount: 600 });
    const after = await getSession(held.id);
    expect(after).toMatchObject({ status: 'succeeded', captured_amount: 600 });
    expect(after.amount_mismatch).toBeUndefined();
  });

  it('refunds of a partly captured session add up to the captured part, never the authorized amount', async () => {
    const held = await heldSession();
    await api().post(`/v1/sessions/${held.id}/capture`, { amount: 600 }).expect(200);
    await simulator.idle();
    const over = await api().post(`/v1/sessions/${held.id}/refunds`, { amount: 601 }).expect(400);
    expect(over.body).toEqual(apiError('invalid_request_error', { code: 'amount_too_large', param: 'amount' }));
    const rest = (await api().post(`/v1/sessions/${held.id}/refunds`, {}).expect(201)).body;
    expect(rest).toMatchObject({ amount: 600, currency: 'JPY', status: 'succeeded' });
    await api().post(`/v1/sessions/${held.id}/refunds`, { amount: 1 }).expect(409);
  });

  it.each([
    ['more than authorized', { amount: 1001 }, 'amount_too_large'],
    ['zero', { amount: 0 }, 'amount_too_large'],
  ])('refuses to capture %s with a 400 and leaves the hold', async (_label, body, code) => {
    const held = await heldSession();
    const res = await api().post(`/v1/sessions/${held.id}/capture`, body).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { code, param: 'amount' }));
    expect((await getSession(held.id)).status).toBe('requires_capture');
    expect(captureCalls()).toBe(0);
  });

  it('refuses malformed capture bodies', async () => {
    const held = await heldSession();
    await api().post(`/v1/sessions/${held.id}/capture`, { amount: 10.5 }).expect(400);
    await api().post(`/v1/sessions/${held.id}/capture`, { amount: '100' }).expect(400);
    const unknown = await api().post(`/v1/sessions/${held.id}/capture`, { amount: 100, tip: 1 }).expect(400);
    expect(unknown.body).toEqual(apiError('invalid_request_error'));
    await api().post('/v1/sessions/sess_unknown/capture', {}).expect(404);
  });

  it('refuses to capture a session that is not on hold: open, automatic, or captured already', async () => {
    const open = (await api().post('/v1/sessions', manual()).expect(201)).body;
    expect((await api().post(`/v1/sessions/${open.id}/capture`, {}).expect(409)).body).toEqual(apiError('conflict_error', { code: 'session_not_capturable' }));
    const automatic = (await api().post('/v1/sessions', manual({ capture: 'automatic' })).expect(201)).body;
    simulator.pay(automatic.provider_session_id, 'credit_card');
    await waitForStatus(automatic.id, 'succeeded');
    expect((await api().post(`/v1/sessions/${automatic.id}/capture`, {}).expect(409)).body).toEqual(apiError('conflict_error', { code: 'session_not_capturable' }));
    expect(captureCalls()).toBe(0);
  });

  it('answers 400 naming the provider for a capture of a Spayon session (Spayon documents no capture)', async () => {
    const spayon = (await api().post('/v1/sessions', manual({ provider: 'spayon', currency: 'AMD', amount: 500000, capture: undefined })).expect(201)).body;
    const res = await api().post(`/v1/sessions/${spayon.id}/capture`, {}).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { code: 'capture_unsupported', message: expect.stringContaining('spayon') }));
  });

  it('a retry with the same Idempotency-Key replays the capture; another key answers 409; KOMOJU is called once', async () => {
    const held = await heldSession();
    const first = await api().post(`/v1/sessions/${held.id}/capture`, { amount: 700 }).set('Idempotency-Key', `cap-${held.id}`).expect(200);
    const replay = await api().post(`/v1/sessions/${held.id}/capture`, { amount: 700 }).set('Idempotency-Key', `cap-${held.id}`).expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(first.text);
    const other = await api().post(`/v1/sessions/${held.id}/capture`, { amount: 700 }).set('Idempotency-Key', `cap2-${held.id}`).expect(409);
    expect(other.body).toEqual(apiError('conflict_error', { code: 'session_already_captured' }));
    await api().post(`/v1/sessions/${held.id}/capture`, { amount: 300 }).set('Idempotency-Key', `cap-${held.id}`).expect(422);
    expect(captureCalls()).toBe(1);
  });

  it('of concurrent captures exactly one captures; the others answer 409; KOMOJU is called once', async () => {
    const held = await heldSession();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => api().post(`/v1/sessions/${held.id}/capture`, { amount: 100 + i })));
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = answers.find((res) => res.status === 200)!;
    expect(captureCalls()).toBe(1);
    expect((await getSession(held.id)).captured_amount).toBe(winner.body.captured_amount);
    expect((await eventTypes(held.id)).filter((type) => type === 'session.captured')).toHaveLength(1);
  });

  it('a provider error answers 502 and a timeout 504; the hold stays capturable and a later capture succeeds', async () => {
    const held = await heldSession();
    simulator.faults.set({ errorRate: 1 });
    const refused = await api().post(`/v1/sessions/${held.id}/capture`, {}).expect(502);
    expect(refused.body).toEqual(apiError('provider_error'));
    simulator.faults.set({ errorRate: 0, timeoutRate: 1 });
    const timedOut = await api().post(`/v1/sessions/${held.id}/capture`, {}).expect(504);
    expect(timedOut.body).toEqual(apiError('provider_error'));
    simulator.faults.reset();
    expect((await getSession(held.id)).status).toBe('requires_capture');
    expect((await api().post(`/v1/sessions/${held.id}/capture`, {}).expect(200)).body.status).toBe('succeeded');
  });

  it('KOMOJU refusing the capture (the hold was cancelled there) answers 502 with its code, then the session follows KOMOJU', async () => {
    const held = await heldSession();
    simulator.faults.set({ wrongSignature: true });
    simulator.cancelPayment(held.provider_session_id);
    await simulator.idle();
    simulator.faults.reset();
    const refused = await api().post(`/v1/sessions/${held.id}/capture`, {}).expect(502);
    expect(refused.body).toEqual(apiError('provider_error', { code: 'unprocessable_entity' }));
    expect((await api().post(`/v1/sessions/${held.id}/sync`).expect(200)).body.status).toBe('cancelled');
  });

  it('cancel releases the hold at KOMOJU (the payment is cancelled); a capture after it answers 409', async () => {
    const held = await heldSession();
    const cancelled = (await api().post(`/v1/sessions/${held.id}/cancel`).expect(200)).body;
    expect(cancelled.status).toBe('cancelled');
    expect(simulator.session(held.provider_session_id).payment!.status).toBe('cancelled');
    await simulator.idle();
    expect((await getSession(held.id)).status).toBe('cancelled');
    expect(await eventTypes(held.id)).toEqual(['session.requires_capture', 'session.cancelled']);
    expect((await api().post(`/v1/sessions/${held.id}/capture`, {}).expect(409)).body).toEqual(apiError('conflict_error', { code: 'session_not_capturable' }));
  });

  it('duplicate and out-of-order callbacks of a capture made at KOMOJU end captured once, with the captured part', async () => {
    simulator.faults.set({ duplicateCallbacks: true, outOfOrderCallbacks: true });
    const created = (await api().post('/v1/sessions', manual()).expect(201)).body;
    simulator.pay(created.provider_session_id, 'credit_card');
    simulator.capture(created.provider_session_id, 400);
    const done = await waitForStatus(created.id, 'succeeded');
    await simulator.idle();
    expect(done.captured_amount).toBe(400);
    const after = await getSession(created.id);
    expect(after).toMatchObject({ status: 'succeeded', captured_amount: 400 });
    expect(after.amount_mismatch).toBeUndefined();
    expect((await eventTypes(created.id)).filter((type) => type === 'session.captured')).toHaveLength(1);
  });

  describe('notifications', () => {
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(() => receiver.close());

    it('session.requires_capture and session.captured reach the merchant signed, retried after a failure', async () => {
      const endpoint = (await api().post('/v1/webhook-endpoints', { url: `${receiver.url}/hooks`, enabled_events: ['session.requires_capture', 'session.captured'] }).expect(201)).body;
      receiver.answer = (_req, res, n) => res.writeHead(n === 0 ? 500 : 200).end();
      const held = await heldSession();
      await api().post(`/v1/sessions/${held.id}/capture`, { amount: 250 }).expect(200);
      for (let run = 0; run < 3; run++) {
        await deliverNow(app);
        clock().advance(10 * 60_000);
      }
      const bodies = receiver.requests.map((req) => ({ req, event: JSON.parse(req.rawBody.toString('utf8')) }));
      const types = bodies.filter(({ event }) => event.data.object.id === held.id).map(({ event }) => event.type);
      // The first attempt failed (500) and was retried; which of the two events it was depends on the batch order.
      expect(types).toHaveLength(3);
      expect([...new Set(types)].sort()).toEqual(['session.captured', 'session.requires_capture']);
      const nowSeconds = Math.floor(clock().now().getTime() / 1000);
      for (const { req } of bodies) expect(verifySignature(req.rawBody, req.headers['paymux-signature'], endpoint.secret, 10 * 86_400, nowSeconds)).toBe(true);
      const captured = bodies.find(({ event }) => event.type === 'session.captured')!.event;
      expect(captured.data.object).toMatchObject({ status: 'succeeded', captured_amount: 250 });
    });
  });
});

describe('manual capture through KOMOJU: hold deadlines', () => {
  const suite = manualCaptureSuite();
  const { api, getSession, heldSession, clock, waitForStatus } = suite;

  it("a hold KOMOJU lets lapse (payment.expired) expires the session, and it cannot be captured after", async () => {
    const held = await heldSession();
    clock().advance(7 * DAY_MS + 60_000);
    suite.h.simulator.expireDue();
    const expired = await waitForStatus(held.id, 'expired');
    expect(expired.captured_amount).toBeNull();
    expect((await api().post(`/v1/sessions/${held.id}/capture`, {}).expect(409)).body).toEqual(apiError('conflict_error', { code: 'session_not_capturable' }));
  });

  it('a hold near its deadline counts as due in /health/ready and /metrics; a lapsed hold is expired by reconciliation', async () => {
    const held = await heldSession();
    // KOMOJU's lapse webhook is lost (paymux refuses its signature): reconciliation must notice.
    suite.h.simulator.faults.set({ wrongSignature: true });
    clock().advance(6.5 * DAY_MS);
    const ready = (await api().get('/health/ready').expect(200)).body;
    expect(ready.details.holds).toMatchObject({ status: 'up', awaiting_capture: expect.any(Number), capture_due_soon: 1 });
    const metrics = (await api().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/paymux_holds_awaiting_capture\{deadline="due"\} 1/);
    clock().advance(DAY_MS);
    suite.h.simulator.expireDue();
    await suite.h.simulator.idle();
    expect((await getSession(held.id)).status).toBe('requires_capture');
    const lapsed = (await api().get('/health/ready').expect(200)).body.details.holds;
    expect(lapsed.past_capture_before).toBe(1);
    await suite.h.app.paymux.app.get(ReconcileSessionsJob).run({ instanceId: 'e2e', signal: new AbortController().signal });
    expect((await getSession(held.id)).status).toBe('expired');
    expect((await api().get('/health/ready').expect(200)).body.details.holds.past_capture_before).toBe(0);
  });
});
