import { KomojuSimulator, signWebhook } from '@paymux/komoju';
import { verifySignature } from '@paymux/webhook-signature';
import request from 'supertest';
import { Clock } from '../../src/clock';
import { DEVELOPMENT_CALLBACK_SIGNING_SECRET } from '../../src/config/config';
import { ReconcileRefundsJob } from '../../src/jobs/reconcile-refunds.job';
import { Event } from '../../src/notifications/event.entity';
import { KOMOJU_DEFINITION, KomojuSimulatorSetup } from '../../src/providers/komoju/komoju.definition';
import { simulatorToken } from '../../src/providers/provider-module';
import { Refund } from '../../src/refunds/refund.entity';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { deliverNow, insertSession, Receiver, startReceiver } from '../support/notifications';
import { waitFor } from '../support/wait';

/**
 * Refunds of KOMOJU sessions through the public API: the real app on a fresh database, KOMOJU's
 * simulator served by the app, real HTTP both ways, real signatures on webhooks.
 */

const RETURN_URL = 'https://shop.example/done';
let orderSeq = 0;

describe('refunds of KOMOJU sessions', () => {
  let app: TestApp;
  let simulator: KomojuSimulator;
  let receiver: Receiver;
  const api = () => app.api();
  const clock = () => app.paymux.app.get(Clock);

  beforeAll(async () => {
    app = await startTestApp({ PROVIDER_TIMEOUT_MS: '400', RECONCILE_AFTER_SECONDS: '60' });
    simulator = app.paymux.app.get<symbol, KomojuSimulatorSetup>(simulatorToken(KOMOJU_DEFINITION)).simulator;
    simulator.callbacks.setPolicy({ attempts: 2, intervalMs: 10 });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    simulator.faults.reset();
    simulator.refunds.resetFaults();
    await simulator.idle();
    clock().reset();
  });
  afterAll(async () => {
    await receiver.close();
    await app.close();
  });

  /** A JPY session the customer paid by card on KOMOJU's page (captured), as paymux has heard by webhook. */
  async function paidSession(amount = 1000, extra: object = {}) {
    const created = (await api().post('/v1/sessions', { provider: 'komoju', amount, currency: 'JPY', return_url: RETURN_URL, order_id: `refund-${++orderSeq}`, ...extra }).expect(201)).body;
    simulator.pay(created.provider_session_id, 'credit_card');
    await waitFor(async () => ((await api().get(`/v1/sessions/${created.id}`).expect(200)).body.status === 'succeeded' ? true : null));
    await simulator.idle();
    return created as { id: string; provider_session_id: string };
  }
  const refund = (sessionId: string, body: object = {}) => api().post(`/v1/sessions/${sessionId}/refunds`, body);
  const refundsOf = async (sessionId: string) => (await api().get(`/v1/sessions/${sessionId}/refunds`).expect(200)).body.data as Array<Record<string, unknown>>;
  const paymentOf = (providerSessionId: string) => simulator.session(providerSessionId).payment!;
  const reconcile = () => app.paymux.app.get(ReconcileRefundsJob).run({ signal: new AbortController().signal, instanceId: 'test' });

  it('a partial refund leaves the KOMOJU payment captured, the rest (the default amount) refunds it fully; both are listed and fetched', async () => {
    const session = await paidSession(1000);
    const first = await refund(session.id, { amount: 300, reason: 'one item returned', metadata: { rma: 'r-1' } }).expect(201);
    expect(first.body).toMatchObject({
      object: 'refund', session_id: session.id, provider: 'komoju', amount: 300, currency: 'JPY', status: 'succeeded',
      reason: 'one item returned', metadata: { rma: 'r-1' }, initiated_by: 'merchant', chargeback: false, failure: null,
      provider_refund_id: expect.any(String), settled_at: expect.any(String),
    });
    expect(first.body.id).toMatch(/^re_/);
    expect(paymentOf(session.provider_session_id)).toMatchObject({ status: 'captured', amount_refunded: 300 });

    const rest = await refund(session.id).expect(201);
    expect(rest.body).toMatchObject({ amount: 700, status: 'succeeded' });
    expect(paymentOf(session.provider_session_id)).toMatchObject({ status: 'refunded', amount_refunded: 1000 });

    await simulator.idle();
    // KOMOJU's payment.refund.created and payment.refunded name refunds paymux made: recorded once.
    expect(await app.em().count(Refund, { sessionId: session.id })).toBe(2);
    expect((await refundsOf(session.id)).map((r) => r.id)).toEqual([rest.body.id, first.body.id]);
    expect((await api().get(`/v1/refunds/${first.body.id}`).expect(200)).body).toEqual(expect.objectContaining({ id: first.body.id, amount: 300, status: 'succeeded' }));

    const page = (await api().get('/v1/refunds?limit=1').expect(200)).body;
    expect(page).toMatchObject({ object: 'list', has_more: true, data: [{ id: rest.body.id }] });
    const next = (await api().get(`/v1/refunds?limit=1&starting_after=${rest.body.id}`).expect(200)).body;
    expect(next.data[0].id).toBe(first.body.id);
    expect((await api().get(`/v1/refunds?session_id=${session.id}&status=failed`).expect(200)).body.data).toEqual([]);

    // Nothing is left: a further refund is refused.
    const none = await refund(session.id, { amount: 1 }).expect(409);
    expect(none.body).toEqual(apiError('conflict_error', { code: 'session_fully_refunded' }));
  });

  it('refuses bad refunds with a clear 4xx and sends nothing to KOMOJU', async () => {
    const open = (await api().post('/v1/sessions', { provider: 'komoju', amount: 500, currency: 'JPY', return_url: RETURN_URL }).expect(201)).body;
    expect((await refund(open.id).expect(409)).body).toEqual(apiError('conflict_error', { code: 'session_not_paid', message: expect.stringContaining('open') }));

    const session = await paidSession(1000);
    const calls = simulator.requestCount({ method: 'POST', path: /\/refund$/ });
    expect((await refund(session.id, { amount: 1001 }).expect(400)).body).toEqual(apiError('invalid_request_error', { code: 'amount_too_large', param: 'amount', message: expect.stringContaining('1000') }));
    for (const amount of [0, -5, 1.5, '100', null]) {
      expect((await refund(session.id, { amount }).expect(400)).body).toEqual(apiError('invalid_request_error', { param: 'amount' }));
    }
    expect((await refund(session.id, { amount: 10, note: 'x' }).expect(400)).body).toEqual(apiError('invalid_request_error'));
    expect((await refund(session.id, { metadata: { k: 1 } }).expect(400)).body).toEqual(apiError('invalid_request_error', { param: 'metadata' }));
    expect((await refund('sess_unknown').expect(404)).body).toEqual(apiError('not_found_error'));
    expect((await api().get('/v1/refunds/re_unknown').expect(404)).body).toEqual(apiError('not_found_error'));
    expect((await api().get('/v1/refunds/sess_notarefund').expect(404)).body).toEqual(apiError('not_found_error'));
    expect((await api().get('/v1/refunds?status=done').expect(400)).body).toEqual(apiError('invalid_request_error', { param: 'status' }));
    expect(simulator.requestCount({ method: 'POST', path: /\/refund$/ })).toBe(calls);
    expect(await app.em().count(Refund, { sessionId: session.id })).toBe(0);
  });

  it('a Spayon session cannot be refunded: 400 naming the provider', async () => {
    const session = await insertSession(app, { provider: 'spayon', status: 'succeeded', providerSessionId: 'spayon-paid-1' });
    const res = await refund(session.id, { amount: 100 }).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { code: 'refunds_unsupported', param: 'provider', message: expect.stringContaining('spayon') }));
  });

  it('an Idempotency-Key replays the first refund; with another body it is a 422; KOMOJU refunds once', async () => {
    const session = await paidSession(1000);
    const first = await refund(session.id, { amount: 100 }).set('Idempotency-Key', `refund-key-${session.id}`).expect(201);
    const again = await refund(session.id, { amount: 100 }).set('Idempotency-Key', `refund-key-${session.id}`).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    await refund(session.id, { amount: 200 }).set('Idempotency-Key', `refund-key-${session.id}`).expect(422);
    expect(paymentOf(session.provider_session_id).amount_refunded).toBe(100);
    expect(await app.em().count(Refund, { sessionId: session.id })).toBe(1);
  });

  it('KOMOJU refusing a refund fails it with the reason (refund.failed), and it does not count against the rest', async () => {
    const session = await paidSession(1000);
    simulator.refunds.setFaults({ refuseWith: 'unprocessable_entity' });
    const refused = await refund(session.id, { amount: 1000 }).expect(201);
    expect(refused.body).toMatchObject({ status: 'failed', failure: { code: 'unprocessable_entity', message: expect.stringContaining('refused') }, settled_at: expect.any(String) });
    const types = (await app.em().find(Event, { sessionId: session.id, type: { $like: 'refund.%' } }, { orderBy: { id: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(['refund.created', 'refund.failed']);
    simulator.refunds.resetFaults();
    expect((await refund(session.id).expect(201)).body).toMatchObject({ amount: 1000, status: 'succeeded' });
  });

  it('an answer that comes too late leaves the refund pending; KOMOJU’s webhook for it then settles it, once', async () => {
    const session = await paidSession(1000);
    simulator.refunds.setFaults({ answerDelayMs: 1200 });
    // The webhook is held back until the call has given up.
    simulator.faults.set({ outOfOrderCallbacks: true });
    const pending = await refund(session.id, { amount: 250 }).expect(201);
    expect(pending.body).toMatchObject({ status: 'pending', provider_refund_id: null });
    simulator.callbacks.flushHeld();
    await waitFor(async () => ((await api().get(`/v1/refunds/${pending.body.id}`).expect(200)).body.status === 'succeeded' ? true : null));
    await simulator.idle();
    const [only] = await refundsOf(session.id);
    expect(await app.em().count(Refund, { sessionId: session.id })).toBe(1);
    expect(only).toMatchObject({ id: pending.body.id, status: 'succeeded', provider_refund_id: paymentOf(session.provider_session_id).refunds.map((r) => (r as { id: string }).id)[0] });
  });

  it('a refund KOMOJU never received stays pending; reconcile-refunds sends it again with the same key and it succeeds once', async () => {
    const session = await paidSession(1000);
    simulator.faults.set({ timeoutRate: 1 });
    const pending = await refund(session.id, { amount: 400 }).expect(201);
    expect(pending.body.status).toBe('pending');
    simulator.faults.reset();
    expect(await reconcile()).toEqual({ examined: 0, changed: 0 });
    clock().advance(61_000);
    expect(await reconcile()).toMatchObject({ examined: 1, changed: 1 });
    expect((await api().get(`/v1/refunds/${pending.body.id}`).expect(200)).body).toMatchObject({ status: 'succeeded', provider_refund_id: expect.any(String) });
    expect(paymentOf(session.provider_session_id).amount_refunded).toBe(400);
    // Settled: the next run has nothing to do.
    clock().advance(61_000);
    expect(await reconcile()).toEqual({ examined: 0, changed: 0 });
  });

  it('a refund made in KOMOJU’s dashboard arrives by webhook and is recorded once, duplicates and bad signatures included', async () => {
    const session = await paidSession(1000);
    simulator.faults.set({ duplicateCallbacks: true });
    simulator.refund(session.provider_session_id, 150, 'goodwill');
    await simulator.idle();
    const listed = await refundsOf(session.id);
    expect(listed).toEqual([expect.objectContaining({ amount: 150, currency: 'JPY', status: 'succeeded', initiated_by: 'provider', chargeback: false })]);
    // It counts against what is left.
    expect((await refund(session.id, { amount: 851 }).expect(400)).body.error.code).toBe('amount_too_large');

    simulator.faults.set({ duplicateCallbacks: false, wrongSignature: true });
    simulator.refund(session.provider_session_id, 50);
    await simulator.idle();
    expect(await app.em().count(Refund, { sessionId: session.id })).toBe(1);
    expect(await app.em().count(InboundWebhook, { provider: 'komoju', outcome: 'rejected' })).toBeGreaterThan(0);
  });

  it('refund webhooks out of order (the full refund before the partial one) record each refund once', async () => {
    const session = await paidSession(1000);
    const payment = paymentOf(session.provider_session_id);
    const refundEntry = (n: number, amount: number) => ({ id: `rf${n}_${payment.id}`, amount, currency: 'JPY', description: null, created_at: new Date().toISOString() });
    const event = (type: string, refunds: object[], status: string) => JSON.stringify({
      id: `evt-${type}-${payment.id}`, type, resource: 'event', created_at: new Date().toISOString(), reason: null,
      data: { ...payment, status, amount_refunded: refunds.length === 2 ? 1000 : 400, refunds },
    });
    const deliver = (body: string, type: string) => request(app.url).post('/v1/webhooks/komoju').set('Content-Type', 'application/json')
      .set('X-Komoju-Signature', signWebhook(body, simulator.credentials.webhookSecret)).set('X-Komoju-Event', type).send(body);
    const full = event('payment.refunded', [refundEntry(1, 400), refundEntry(2, 600)], 'refunded');
    const partial = event('payment.refund.created', [refundEntry(1, 400)], 'captured');
    await deliver(full, 'payment.refunded').expect(200);
    await deliver(partial, 'payment.refund.created').expect(200);
    await deliver(full, 'payment.refunded').expect(200);
    await request(app.url).post('/v1/webhooks/komoju').set('Content-Type', 'application/json').set('X-Komoju-Signature', 'f'.repeat(64)).send(full).expect(401);
    const listed = await refundsOf(session.id);
    expect(listed.map((r) => [r.provider_refund_id, r.amount, r.status]).sort()).toEqual([[`rf1_${payment.id}`, 400, 'succeeded'], [`rf2_${payment.id}`, 600, 'succeeded']]);
    expect((await api().get(`/v1/sessions/${session.id}`).expect(200)).body.status).toBe('succeeded');
  });

  it('sends refund.created and refund.succeeded to the session’s callback_url, signed, retrying a failed delivery', async () => {
    receiver.answer = (_req, res) => res.writeHead(200).end();
    const session = await paidSession(1000, { callback_url: `${receiver.url}/hooks` });
    await deliverNow(app);
    receiver.requests.length = 0;
    receiver.answer = (_req, res, n) => res.writeHead(n === 1 ? 500 : 200).end();
    const created = await refund(session.id, { amount: 10 }).expect(201);
    await deliverNow(app);
    clock().advance(3_600_000);
    await deliverNow(app);
    const bodies = receiver.requests.map((r) => ({ ok: verifySignature(r.rawBody, r.headers['paymux-signature'], DEVELOPMENT_CALLBACK_SIGNING_SECRET, 7200, Math.floor(clock().now().getTime() / 1000)), event: JSON.parse(r.rawBody.toString()) }));
    const types = bodies.map((b) => b.event.type);
    expect(new Set(types)).toEqual(new Set(['refund.created', 'refund.succeeded']));
    expect(types.length).toBe(3);
    expect(bodies.every((b) => b.event.data.object.id === created.body.id)).toBe(true);
    expect(bodies.every((b) => b.ok)).toBe(true);
  });

  it('50 concurrent partial refunds never add up to more than was paid: exactly the ones that fit are accepted', async () => {
    const session = await paidSession(1000);
    const answers = await Promise.all(Array.from({ length: 50 }, () => refund(session.id, { amount: 30 })));
    const accepted = answers.filter((a) => a.status === 201);
    expect(accepted.length).toBe(33);
    expect(answers.filter((a) => a.status === 400).every((a) => a.body.error.code === 'amount_too_large')).toBe(true);
    expect(answers.filter((a) => a.status !== 201 && a.status !== 400)).toEqual([]);
    await simulator.idle();
    const rows = await app.em().find(Refund, { sessionId: session.id });
    expect(rows.length).toBe(33);
    expect(rows.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0)).toBe(990);
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    expect(new Set(rows.map((r) => r.providerRefundId)).size).toBe(33);
    expect(paymentOf(session.provider_session_id).amount_refunded).toBe(990);
  });
});
