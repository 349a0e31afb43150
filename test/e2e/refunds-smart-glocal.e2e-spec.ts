import { SMART_GLOCAL_METHODS } from '@paymux/smart-glocal';
import { Clock } from '../../src/clock';
import { ReconcileRefundsJob } from '../../src/jobs/reconcile-refunds.job';
import { Event } from '../../src/notifications/event.entity';
import { Refund } from '../../src/refunds/refund.entity';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { fastResends, sessionBody, simulatorOf, waitForStatus } from '../support/smart-glocal';
import { waitFor } from '../support/wait';

/**
 * Refunds of Smart Glocal sessions through the public API: the real app on a fresh database, Smart
 * Glocal's simulator served by the app, real HTTP both ways, real RSA signatures on notifications.
 */
describe('refunds of Smart Glocal sessions', () => {
  let app: TestApp;
  const api = () => app.api();
  const simulator = () => simulatorOf(app);
  const clock = () => app.paymux.app.get(Clock);
  const reconcile = () => app.paymux.app.get(ReconcileRefundsJob).run({ signal: new AbortController().signal, instanceId: 'test' });

  beforeAll(async () => {
    app = await startTestApp({ PROVIDER_TIMEOUT_MS: '400', RECONCILE_AFTER_SECONDS: '60' });
    fastResends(app);
  });
  afterEach(async () => {
    simulator().faults.reset();
    simulator().refunds.reset();
    await simulator().idle();
    clock().reset();
  });
  afterAll(() => app.close());

  async function paidSession(amount = 2500) {
    const created = (await api().post('/v1/sessions', sessionBody({ amount })).expect(201)).body;
    simulator().pay(created.provider_session_id);
    await waitForStatus(app, created.id, 'succeeded');
    await simulator().idle();
    return created as { id: string; provider_session_id: string };
  }
  const refund = (sessionId: string, body: object = {}) => api().post(`/v1/sessions/${sessionId}/refunds`, body);
  const refundNow = async (id: string) => (await api().get(`/v1/refunds/${id}`).expect(200)).body;
  const waitForRefund = (id: string, status: string) => waitFor(async () => ((await refundNow(id)).status === status ? true : null));
  const sgPayment = (providerSessionId: string) => simulator().getSession(providerSessionId).acquiring_payments.find((p) => p.status === 'succeeded')!;

  it('a partial refund is in progress at Smart Glocal until payment_refunded settles it; the rest is the default; the payment stays succeeded', async () => {
    const session = await paidSession(2500);
    const partial = await refund(session.id, { amount: 1000, reason: 'damaged' }).expect(201);
    expect(partial.body).toMatchObject({ provider: 'smart_glocal', amount: 1000, currency: 'USD', reason: 'damaged' });
    expect(['pending', 'succeeded']).toContain(partial.body.status);
    await waitForRefund(partial.body.id, 'succeeded');
    expect(simulator().requestOf(session.provider_session_id)).toBeDefined();

    const rest = await refund(session.id).expect(201);
    expect(rest.body.amount).toBe(1500);
    await waitForRefund(rest.body.id, 'succeeded');
    await simulator().idle();

    const payment = sgPayment(session.provider_session_id);
    expect(payment.refunds!.map((r) => [r.amount_details!.amount, r.amount_details!.currency, r.status])).toEqual([[1000, 'usd', 'accepted'], [1500, 'usd', 'accepted']]);
    expect(simulator().getSession(session.provider_session_id).status).toBe('accepted');
    const rows = await app.em().find(Refund, { sessionId: session.id }, { orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.id, r.providerRefundId])).toEqual([[partial.body.id, payment.refunds![0].id], [rest.body.id, payment.refunds![1].id]]);
    expect((await api().get(`/v1/sessions/${session.id}`).expect(200)).body.status).toBe('succeeded');
    const types = (await app.em().find(Event, { sessionId: session.id, type: { $like: 'refund.%' } }, { orderBy: { id: 'asc' } })).map((e) => e.type);
    expect(types.sort()).toEqual(['refund.created', 'refund.created', 'refund.succeeded', 'refund.succeeded']);
    expect((await refund(session.id, { amount: 1 }).expect(409)).body).toEqual(apiError('conflict_error', { code: 'session_fully_refunded' }));
  });

  it('a chargeback arrives as payment_refunded with is_chargeback and is recorded once, even when delivered twice', async () => {
    const session = await paidSession(2500);
    simulator().faults.set({ duplicateCallbacks: true });
    simulator().refund(session.provider_session_id, { amount: 700, chargeback: true });
    await simulator().idle();
    const listed = (await api().get(`/v1/sessions/${session.id}/refunds`).expect(200)).body.data;
    expect(listed).toEqual([expect.objectContaining({ amount: 700, currency: 'USD', status: 'succeeded', chargeback: true, initiated_by: 'provider' })]);
    // What the bank took back is not refundable again.
    expect((await refund(session.id, { amount: 1801 }).expect(400)).body.error.code).toBe('amount_too_large');
    expect((await refund(session.id).expect(201)).body.amount).toBe(1800);
  });

  it('a badly signed payment_refunded is refused with 401 and records nothing', async () => {
    const session = await paidSession(2500);
    simulator().faults.set({ wrongSignature: true });
    simulator().refund(session.provider_session_id, { amount: 100 });
    await simulator().idle();
    expect(await app.em().count(Refund, { sessionId: session.id })).toBe(0);
    expect(await app.em().count(InboundWebhook, { provider: 'smart_glocal', outcome: 'rejected' })).toBeGreaterThan(0);
  });

  it('a refund whose payment_refunded never arrives is settled by reconcile-refunds from session/status', async () => {
    const session = await paidSession(2500);
    simulator().refunds.set({ settleAfterMs: 300 });
    simulator().faults.set({ wrongSignature: true });
    const created = await refund(session.id, { amount: 600 }).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', provider_refund_id: expect.stringMatching(/^rf_/) });
    await simulator().idle();
    expect((await refundNow(created.body.id)).status).toBe('pending');
    clock().advance(61_000);
    expect(await reconcile()).toMatchObject({ examined: 1, changed: 1 });
    expect(await refundNow(created.body.id)).toMatchObject({ status: 'succeeded', settled_at: expect.any(String) });
    expect(sgPayment(session.provider_session_id).refunds).toHaveLength(1);
  });

  it('Smart Glocal refusing a refund fails it with its code; an unpaid session and an over-refund are refused before any call', async () => {
    const session = await paidSession(2500);
    simulator().refunds.set({ refuseWith: 'refund_not_allowed' });
    const refused = await refund(session.id, { amount: 100 }).expect(201);
    expect(refused.body).toMatchObject({ status: 'failed', failure: { code: 'refund_not_allowed' } });

    const calls = simulator().requestCount(SMART_GLOCAL_METHODS.refundSession);
    expect((await refund(session.id, { amount: 2501 }).expect(400)).body).toEqual(apiError('invalid_request_error', { code: 'amount_too_large', param: 'amount' }));
    const open = (await api().post('/v1/sessions', sessionBody()).expect(201)).body;
    expect((await refund(open.id, { amount: 100 }).expect(409)).body.error.code).toBe('session_not_paid');
    expect(simulator().requestCount(SMART_GLOCAL_METHODS.refundSession)).toBe(calls);
  });

  it('a refund Smart Glocal does not answer in time stays pending, and its payment_refunded settles it', async () => {
    const session = await paidSession(2500);
    simulator().refunds.set({ answerDelayMs: 1000, settleAfterMs: 1500 });
    const created = await refund(session.id, { amount: 300 }).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', provider_refund_id: null });
    await waitForRefund(created.body.id, 'succeeded');
    expect((await refundNow(created.body.id)).provider_refund_id).toBe(sgPayment(session.provider_session_id).refunds![0].id);
    expect(await app.em().count(Refund, { sessionId: session.id })).toBe(1);
  });

  it('50 concurrent partial refunds: exactly the 41 that fit are accepted and Smart Glocal refunds exactly those', async () => {
    const session = await paidSession(2500);
    // 41 notifications queue behind 50 requests on one session's lock: give each the documented 10 s.
    simulator().dispatcher.setPolicy({ timeoutMs: 10_000 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => refund(session.id, { amount: 60 })));
    expect(answers.filter((a) => a.status === 201).length).toBe(41);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 400 && a.body.error.code === 'amount_too_large')).toBe(true);
    await simulator().idle();
    await waitFor(async () => ((await app.em().count(Refund, { sessionId: session.id, status: 'succeeded' })) === 41 ? true : null), 15_000);
    const rows = await app.em().find(Refund, { sessionId: session.id });
    expect(rows.length).toBe(41);
    expect(rows.reduce((sum, r) => sum + r.amount, 0)).toBe(2460);
    expect(new Set(rows.map((r) => r.providerRefundId)).size).toBe(41);
    expect(sgPayment(session.provider_session_id).refunds).toHaveLength(41);
    fastResends(app);
  });

  it('operators see reconcile-refunds in the jobs API and can pause, resume and run it', async () => {
    const jobs = (await api().get('/v1/jobs').expect(200)).body.data;
    expect(jobs.find((job: { name: string }) => job.name === 'reconcile-refunds')).toMatchObject({ name: 'reconcile-refunds', interval_seconds: 60 });
    expect((await api().post('/v1/jobs/reconcile-refunds/pause').expect(200)).body).toMatchObject({ paused: true });
    expect((await api().post('/v1/jobs/reconcile-refunds/resume').expect(200)).body).toMatchObject({ paused: false });
    expect((await api().post('/v1/jobs/reconcile-refunds/run').expect(200)).body).toMatchObject({ status: 'succeeded' });
  });
});
