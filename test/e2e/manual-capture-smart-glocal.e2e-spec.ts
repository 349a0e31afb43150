import { SMART_GLOCAL_METHODS, TEST_CARDS } from '@paymux/smart-glocal';
import { Clock } from '../../src/clock';
import { Event } from '../../src/notifications/event.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { fastResends, notificationBody, postNotification, sessionBody, sessionNow, simulatorOf, waitForStatus } from '../support/smart-glocal';

/**
 * Manual capture through Smart Glocal's delayed capture (SMART_GLOCAL_DELAYED_CAPTURE=true: the
 * account holds every payment and sends `ready_to_capture`): the real app, Smart Glocal's simulator
 * in it, real HTTP and RSA signatures both ways.
 */
describe('manual capture through Smart Glocal (delayed capture)', () => {
  let app: TestApp;
  const simulator = () => simulatorOf(app);
  const captureCalls = () => simulator().requestCount(SMART_GLOCAL_METHODS.captureSession);
  const eventTypes = async (sessionId: string) => (await app.em().find(Event, { sessionId }, { orderBy: { createdAt: 'asc', id: 'asc' } })).map((e) => e.type);
  const manual = (fields: Record<string, unknown> = {}) => sessionBody({ capture: 'manual', ...fields });

  /** Paid in the widget, confirmed by paymux, now held by Smart Glocal: `requires_capture`. */
  async function heldSession() {
    const created = (await app.api().post('/v1/sessions', manual()).expect(201)).body;
    simulator().startWidgetPayment(created.provider_session_id, TEST_CARDS.succeeds);
    const held = await waitForStatus(app, created.id, 'requires_capture');
    await simulator().idle();
    return held;
  }

  beforeAll(async () => {
    app = await startTestApp({ SMART_GLOCAL_DELAYED_CAPTURE: 'true', PROVIDER_TIMEOUT_MS: '500' });
    fastResends(app);
  });
  afterEach(async () => {
    simulator().faults.reset();
    await simulator().idle();
    app.paymux.app.get(Clock).reset();
  });
  afterAll(() => app.close());

  it('a held payment waits for the merchant: requires_capture with capture_before, Smart Glocal not captured', async () => {
    const before = captureCalls();
    const held = await heldSession();
    expect(held).toMatchObject({ capture: 'manual', captured_amount: null });
    expect(Date.parse(held.capture_before)).toBeGreaterThan(Date.now() + 3 * 86_400_000);
    expect(simulator().getSession(held.provider_session_id).next_action).toBe('capture');
    expect(captureCalls()).toBe(before);
    expect(await eventTypes(held.id)).toEqual(['session.processing', 'session.requires_capture']);
  });

  it('captures in full: capture_requested_at until payment_finished, then succeeded with captured_amount and session.captured', async () => {
    const held = await heldSession();
    const answered = (await app.api().post(`/v1/sessions/${held.id}/capture`, {}).expect(200)).body;
    expect(answered).toMatchObject({ status: 'requires_capture', capture_requested_at: expect.any(String) });
    const done = await waitForStatus(app, held.id, 'succeeded');
    expect(done).toMatchObject({ captured_amount: 2500 });
    expect(done.amount_mismatch).toBeUndefined();
    expect(simulator().getSession(held.provider_session_id).status).toBe('accepted');
    expect(await eventTypes(held.id)).toEqual(['session.processing', 'session.requires_capture', 'session.captured']);
    const again = await app.api().post(`/v1/sessions/${held.id}/capture`, {}).expect(409);
    expect(again.body).toEqual(apiError('conflict_error', { code: 'session_already_captured' }));
  });

  it('a second capture while Smart Glocal settles the first answers 409 capture_in_progress', async () => {
    const held = await heldSession();
    simulator().setNotificationUrl(undefined);
    await app.api().post(`/v1/sessions/${held.id}/capture`, {}).expect(200);
    const second = await app.api().post(`/v1/sessions/${held.id}/capture`, {}).expect(409);
    expect(second.body).toEqual(apiError('conflict_error', { code: 'capture_in_progress' }));
    simulator().setNotificationUrl(`${app.url}/v1/webhooks/smart-glocal`);
    expect((await app.api().post(`/v1/sessions/${held.id}/sync`).expect(200)).body.status).toBe('succeeded');
  });

  it('refuses a partial capture: Smart Glocal documents no partial parameter', async () => {
    const held = await heldSession();
    const before = captureCalls();
    const res = await app.api().post(`/v1/sessions/${held.id}/capture`, { amount: 1000 }).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { code: 'partial_capture_unsupported', param: 'amount', message: expect.stringContaining('smart_glocal') }));
    expect(captureCalls()).toBe(before);
    expect((await sessionNow(app, held.id)).status).toBe('requires_capture');
  });

  it('a payment_finished for less than the hold is an amount mismatch, never a partial capture (Smart Glocal captures in full)', async () => {
    const held = await heldSession();
    const body = notificationBody(app, held.provider_session_id, 'accepted', [{ status: 'succeeded', amount_details: { amount: 2000, currency: 'usd' } }], 'payment_finished', held.id);
    await postNotification(app, body, simulator().signNotification(body)).expect(200);
    const after = await sessionNow(app, held.id);
    expect(after).toMatchObject({ status: 'failed', failure: { code: 'amount_mismatch' }, amount_mismatch: { amount: 2000, currency: 'USD' }, captured_amount: null });
  });

  it('a Smart Glocal error answers 502 and the hold stays capturable', async () => {
    const held = await heldSession();
    simulator().faults.set({ errorRate: 1 });
    expect((await app.api().post(`/v1/sessions/${held.id}/capture`, {}).expect(502)).body).toEqual(apiError('provider_error'));
    simulator().faults.reset();
    expect((await sessionNow(app, held.id)).status).toBe('requires_capture');
    await app.api().post(`/v1/sessions/${held.id}/capture`, {}).expect(200);
    await waitForStatus(app, held.id, 'succeeded');
  });

  it('a Smart Glocal timeout answers 504 and the hold stays capturable', async () => {
    const held = await heldSession();
    simulator().faults.set({ timeoutRate: 1 });
    expect((await app.api().post(`/v1/sessions/${held.id}/capture`, {}).expect(504)).body).toEqual(apiError('provider_error'));
    simulator().faults.reset();
    expect(await sessionNow(app, held.id)).toMatchObject({ status: 'requires_capture', capture_requested_at: null });
  });

  it('cancel releases the hold with session/cancel; the payment_finished that follows changes nothing', async () => {
    const held = await heldSession();
    const cancelled = (await app.api().post(`/v1/sessions/${held.id}/cancel`).expect(200)).body;
    expect(cancelled.status).toBe('cancelled');
    await simulator().idle();
    expect(simulator().getSession(held.provider_session_id).status).toBe('cancelled');
    expect((await sessionNow(app, held.id)).status).toBe('cancelled');
    expect(await eventTypes(held.id)).toEqual(['session.processing', 'session.requires_capture', 'session.cancelled']);
  });

  it('duplicate ready_to_capture notifications make one requires_capture', async () => {
    simulator().faults.set({ duplicateCallbacks: true });
    const held = await heldSession();
    expect((await eventTypes(held.id)).filter((type) => type === 'session.requires_capture')).toHaveLength(1);
  });

  it('a hold not captured in time is released by Smart Glocal: the session fails with hold_released', async () => {
    const held = await heldSession();
    app.paymux.app.get(Clock).advance(5 * 86_400_000 + 60_000);
    simulator().enforceDeadlines();
    const failed = await waitForStatus(app, held.id, 'failed');
    expect(failed.failure).toMatchObject({ code: 'hold_released' });
  });

  it('an automatic session on a delayed-capture account is still captured at once', async () => {
    const created = (await app.api().post('/v1/sessions', sessionBody()).expect(201)).body;
    simulator().startWidgetPayment(created.provider_session_id, TEST_CARDS.succeeds);
    const done = await waitForStatus(app, created.id, 'succeeded');
    expect(done).toMatchObject({ capture: 'automatic', captured_amount: 2500, capture_before: null });
    expect(await eventTypes(created.id)).toEqual(['session.processing', 'session.succeeded']);
  });
});
