import { SMART_GLOCAL_METHODS, TEST_CARDS } from '@paymux/smart-glocal';
import { ReconcileSessionsJob } from '../../src/jobs/reconcile-sessions.job';
import { Session } from '../../src/sessions/session.entity';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { startTestApp, TestApp } from '../support/app';
import { eventsOf, fastResends, notificationBody, postNotification, RETURN_URL, sessionBody, sessionNow, simulatorOf, waitForStatus } from '../support/smart-glocal';
import { waitFor } from '../support/wait';

const context = () => ({ instanceId: 'e2e', signal: new AbortController().signal });

/** The buyer pays in the widget, as Smart Glocal's widget would (the simulator's test helper). */
function payInWidget(app: TestApp, providerSessionId: string, cardNumber: string = TEST_CARDS.succeeds) {
  return simulatorOf(app).startWidgetPayment(providerSessionId, cardNumber);
}

/**
 * As a multiset: a notification sent while paymux still handles the previous one (its confirm
 * makes Smart Glocal go on) may finish first.
 */
const unordered = <T>(items: T[]) => items.map((item) => JSON.stringify(item)).sort();

/** Notifications the simulator sent for one session, with the HTTP status paymux answered. */
function deliveriesFor(app: TestApp, providerSessionId: string) {
  return simulatorOf(app)
    .deliveries.filter((d) => d.body.includes(providerSessionId))
    .map((d) => [(JSON.parse(d.body) as { type: string }).type, d.status]);
}

describe('Smart Glocal: paymux answers ready_to_confirm with session/confirm', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RECONCILE_AFTER_SECONDS: '60' });
    fastResends(app);
  });
  afterAll(() => app.close());
  afterEach(() => {
    simulatorOf(app).account.reset();
    simulatorOf(app).faults.reset();
    simulatorOf(app).setNotificationUrl(`${app.url}/v1/webhooks/smart-glocal`);
  });

  it('created → paid: ready_to_confirm makes it processing and is confirmed once; payment_finished accepted makes it succeeded', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    expect((await app.api().post(`/v1/sessions/${created.id}/sync`).expect(200)).body.status).toBe('open');
    const confirmsBefore = simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession);
    payInWidget(app, created.provider_session_id);
    await waitForStatus(app, created.id, 'succeeded');
    await simulatorOf(app).idle();
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession)).toBe(confirmsBefore + 1);
    expect(unordered(deliveriesFor(app, created.provider_session_id))).toEqual(unordered([['ready_to_confirm', 200], ['payment_finished', 200]]));
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'processing', 'webhook'], ['processing', 'succeeded', 'webhook']]);
  });

  it('a confirm that fails answers the webhook non-2xx, is not taken for a duplicate, and the resend confirms it', async () => {
    simulatorOf(app).account.set({ refuseConfirms: 1 });
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    payInWidget(app, created.provider_session_id);
    await waitForStatus(app, created.id, 'succeeded');
    await simulatorOf(app).idle();
    expect(unordered(deliveriesFor(app, created.provider_session_id))).toEqual(unordered([['ready_to_confirm', 502], ['ready_to_confirm', 200], ['payment_finished', 200]]));
    const inbound = await app.em().find(InboundWebhook, { sessionId: created.id }, { orderBy: { receivedAt: 'asc' } });
    // The first ready_to_confirm made the session processing; its record lost its dedupe key when the confirm failed.
    expect(inbound.map((w) => [w.eventType, w.outcome, w.dedupeKey === null])).toEqual([
      ['ready_to_confirm', 'follow_up_failed', true],
      ['ready_to_confirm', 'unchanged', false],
      ['payment_finished', 'applied', false],
    ]);
  });

  it('a confirm lost with its webhook is made by the reconcile job, from session/status’s next_action', async () => {
    simulatorOf(app).setNotificationUrl(undefined);
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    payInWidget(app, created.provider_session_id);
    await simulatorOf(app).idle();
    expect(simulatorOf(app).getSession(created.provider_session_id).next_action).toBe('confirm');

    const quiet = async () => app.em().nativeUpdate(Session, { id: created.id }, { lastProviderUpdateAt: new Date(Date.now() - 3600_000) });
    const reconcile = () => app.paymux.app.get(ReconcileSessionsJob).run(context());
    await quiet();
    const statusBefore = simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.sessionStatus);
    await reconcile();
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.sessionStatus)).toBeGreaterThan(statusBefore);
    expect((await sessionNow(app, created.id)).status).toBe('processing');
    await simulatorOf(app).idle();
    expect(simulatorOf(app).getSession(created.provider_session_id).status).toBe('accepted');

    await quiet();
    await reconcile();
    expect((await sessionNow(app, created.id)).status).toBe('succeeded');
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'processing', 'scheduler'], ['processing', 'succeeded', 'scheduler']]);
  });

  it('a failed confirm in reconcile leaves the session for the next run', async () => {
    simulatorOf(app).setNotificationUrl(undefined);
    simulatorOf(app).account.set({ refuseConfirms: 1 });
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    payInWidget(app, created.provider_session_id);
    await simulatorOf(app).idle();
    await app.em().nativeUpdate(Session, { id: created.id }, { lastProviderUpdateAt: new Date(Date.now() - 3600_000) });
    await app.paymux.app.get(ReconcileSessionsJob).run(context());
    expect(simulatorOf(app).getSession(created.provider_session_id).next_action).toBe('confirm');
    await app.em().nativeUpdate(Session, { id: created.id }, { lastProviderUpdateAt: new Date(Date.now() - 3600_000), claimedUntil: null });
    await app.paymux.app.get(ReconcileSessionsJob).run(context());
    await simulatorOf(app).idle();
    expect(simulatorOf(app).getSession(created.provider_session_id).status).toBe('accepted');
  });

  it('a hold (delayed capture) is captured in full on ready_to_capture', async () => {
    simulatorOf(app).account.set({ delayedCapture: true });
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    payInWidget(app, created.provider_session_id);
    await waitForStatus(app, created.id, 'succeeded');
    await simulatorOf(app).idle();
    expect(unordered(deliveriesFor(app, created.provider_session_id))).toEqual(unordered([['ready_to_confirm', 200], ['ready_to_capture', 200], ['payment_finished', 200]]));
  });

  it('a session paymux cancelled is not confirmed when a ready_to_confirm arrives late', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    const confirmsBefore = simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession);
    simulatorOf(app).setNotificationUrl(undefined);
    payInWidget(app, created.provider_session_id);
    await simulatorOf(app).idle();
    // Smart Glocal's session waits for a confirm: paymux's cancel is a session/cancel it takes.
    await app.api().post(`/v1/sessions/${created.id}/cancel`).expect(200);
    expect(simulatorOf(app).getSession(created.provider_session_id).status).toBe('cancelled');
    const late = notificationBody(app, created.provider_session_id, 'in_progress', [{ status: 'pending' }], 'ready_to_confirm', created.id);
    await postNotification(app, late, simulatorOf(app).signNotification(late)).expect(200);
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession)).toBe(confirmsBefore);
    expect((await sessionNow(app, created.id)).status).toBe('cancelled');
  });
});

describe('Smart Glocal with SMART_GLOCAL_AUTO_CONFIRMATION=true', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ SMART_GLOCAL_AUTO_CONFIRMATION: 'true' });
    fastResends(app);
  });
  afterAll(() => app.close());

  it('the account confirms by itself: no ready_to_confirm, and paymux never calls session/confirm', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    expect(simulatorOf(app).account.current.autoConfirmation).toBe(true);
    payInWidget(app, created.provider_session_id);
    await waitForStatus(app, created.id, 'succeeded');
    await simulatorOf(app).idle();
    expect(unordered(deliveriesFor(app, created.provider_session_id))).toEqual(unordered([['payment_finished', 200]]));
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession)).toBe(0);
  });

  it('a ready_to_confirm that still comes is taken without a confirm call', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    simulatorOf(app).account.set({ autoConfirmation: false });
    try {
      payInWidget(app, created.provider_session_id);
      await waitForStatus(app, created.id, 'processing');
      await simulatorOf(app).idle();
      expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession)).toBe(0);
      expect(simulatorOf(app).getSession(created.provider_session_id).next_action).toBe('confirm');
    } finally {
      simulatorOf(app).account.reset();
      simulatorOf(app).account.set({ autoConfirmation: true });
    }
  });
});

describe('Smart Glocal amounts are compared, never trusted', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    fastResends(app);
  });
  afterAll(() => app.close());
  afterEach(() => simulatorOf(app).account.reset());

  it.each([
    ['another amount', { chargedAmountOffset: 100 }],
    ['another currency', { chargedCurrency: 'eur' }],
  ])('the simulator charges %s: the session becomes failed with amount_mismatch, never succeeded, and the payment is cancelled, not confirmed', async (_name, knobs) => {
    simulatorOf(app).account.set(knobs);
    const created = (await app.api().post('/v1/sessions', sessionBody({ return_url: RETURN_URL })).expect(201)).body;
    const confirmsBefore = simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession);
    payInWidget(app, created.provider_session_id);
    const failed = await waitForStatus(app, created.id, 'failed');
    expect(failed.failure).toMatchObject({ code: 'amount_mismatch' });
    await simulatorOf(app).idle();
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.confirmSession)).toBe(confirmsBefore);
    await simulatorOf(app).idle();
    await waitFor(async () => ((await sessionNow(app, created.id)).status === 'failed' ? true : null));
    expect((await eventsOf(app, created.id)).map(([, to]) => to)).not.toContain('succeeded');
    expect((await sessionNow(app, created.id)).status).toBe('failed');
    expect(simulatorOf(app).getSession(created.provider_session_id)).toMatchObject({ status: 'cancelled', acquiring_payments: [{ status: 'failed' }] });
  });
});
