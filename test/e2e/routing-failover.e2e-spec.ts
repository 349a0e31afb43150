import type { KomojuSimulator } from '@paymux/komoju';
import request from 'supertest';
import { Clock } from '../../src/clock';
import { KOMOJU_DEFINITION, KomojuSimulatorSetup } from '../../src/providers/komoju/komoju.definition';
import { simulatorToken } from '../../src/providers/provider-module';
import { Session } from '../../src/sessions/session.entity';
import { apiError, startTestApp, TestApp } from '../support/app';
import { simulatorOf } from '../support/smart-glocal';
import { postSpayonCallback, spayonSimulatorOf, type SpayonSimulator } from '../support/spayon';
import { waitFor } from '../support/wait';

/** An AMD session without `provider`: Spayon first (PROVIDERS_ORDER), Smart Glocal next, both sell in AMD. */
const amdSession = (overrides: Record<string, unknown> = {}) => ({
  amount: 150000,
  currency: 'AMD',
  description: 'Order #7',
  order_id: `amd-${Math.random().toString(36).slice(2)}`,
  return_url: 'https://shop.example/thanks',
  customer: { reference: 'buyer-7', email: 'buyer@example.com' },
  ...overrides,
});

const COOLDOWN_SECONDS = 30;

const komojuOf = (app: TestApp): KomojuSimulator => app.paymux.app.get<symbol, KomojuSimulatorSetup>(simulatorToken(KOMOJU_DEFINITION)).simulator;

describe('failover at creation and the circuit breaker', () => {
  let app: TestApp;
  let spayon: SpayonSimulator;
  let callbackSecret: string;

  beforeAll(async () => {
    app = await startTestApp({
      BREAKER_FAILURE_THRESHOLD: '2',
      BREAKER_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
      PROVIDER_TIMEOUT_MS: '300',
      // KOMOJU first for JPY-less USD sessions: it can cancel, so a timed-out attempt there is cancelled.
      ROUTING_RULES: JSON.stringify([{ name: 'usd-komoju-first', match: { currency: 'USD' }, providers: ['komoju', 'spayon'] }]),
    });
    ({ simulator: spayon, credentials: { callbackSecret } } = spayonSimulatorOf(app));
  });
  afterAll(() => app.close());
  afterEach(async () => {
    spayon.faults.reset();
    simulatorOf(app).faults.reset();
    komojuOf(app).faults.reset();
    // Each test starts with closed breakers: a probe that succeeds closes an open one.
    app.paymux.app.get(Clock).advance((COOLDOWN_SECONDS + 1) * 1000);
    await app.api().post('/v1/sessions', amdSession()).expect(201);
  });

  const create = (body: Record<string, unknown> = amdSession()) => app.api().post('/v1/sessions', body);
  const ready = async () => (await request(app.url).get('/health/ready').expect(200)).body;
  const metrics = async () => (await request(app.url).get('/metrics').expect(200)).text;

  it('Spayon answering 500: the session is created at Smart Glocal, and both attempts are in the answer and the events', async () => {
    spayon.faults.set({ errorRate: 1 });
    const res = await create().expect(201);
    expect(res.body).toMatchObject({ provider: 'smart_glocal', status: 'open', redirect_url: expect.any(String), provider_session_id: expect.any(String) });
    expect(res.body.routing).toEqual({
      chosen_by: 'providers_order',
      rule: null,
      attempts: [
        { provider: 'spayon', outcome: 'failed', error: { code: 'provider_server_error', message: expect.any(String) }, duration_ms: expect.any(Number) },
        { provider: 'smart_glocal', outcome: 'created', error: null, duration_ms: expect.any(Number) },
      ],
    });
    expect(res.body.redirect_url).not.toContain('/simulators/spayon');
    const events = (await app.api().get(`/v1/sessions/${res.body.id}/events`).expect(200)).body.data;
    expect(events).toEqual([expect.objectContaining({ to_status: 'open', note: expect.stringMatching(/spayon failed: provider_server_error.*created at smart_glocal/) })]);
    expect((await app.api().get(`/v1/sessions/${res.body.id}`).expect(200)).body.routing).toEqual(res.body.routing);
    // Other provider calls are timed too.
    await app.api().post(`/v1/sessions/${res.body.id}/sync`).expect(200);
    expect(await metrics()).toMatch(/paymux_provider_request_duration_seconds_count\{provider="smart_glocal",operation="fetch_status",outcome="ok"\} [1-9]/);
  });

  it('Spayon timing out: Smart Glocal takes the session, and a callback from the abandoned Spayon attempt changes nothing', async () => {
    spayon.faults.set({ timeoutRate: 1 });
    const res = await create().expect(201);
    expect(res.body.provider).toBe('smart_glocal');
    expect(res.body.routing.attempts.map((a: { provider: string; outcome: string; error: { code: string } | null }) => [a.provider, a.outcome, a.error?.code ?? null]))
      .toEqual([['spayon', 'failed', 'provider_timeout'], ['smart_glocal', 'created', null]]);
    // Whatever Spayon made of the timed-out call was never stored nor shown: its callbacks find no session.
    const late = await postSpayonCallback(app, { sessionId: 'f3b4a3c2-0000-4000-8000-000000000001', status: 'paid', orderId: res.body.order_id }, callbackSecret).expect(200);
    expect(late.body.outcome).toBe('unknown_session');
    expect((await app.api().get(`/v1/sessions/${res.body.id}`).expect(200)).body).toMatchObject({ status: 'open', provider: 'smart_glocal' });
  });

  it('a KOMOJU attempt that timed out is cancelled at KOMOJU in the background (same idempotency key), the session lives at Spayon', async () => {
    const komoju = komojuOf(app);
    const sessionsBefore = komoju.sessionCount;
    // KOMOJU makes the session but answers after paymux gave up.
    komoju.faults.set({ latencyMs: 600 });
    const res = await create(amdSession({ currency: 'USD', amount: 2500 })).expect(201);
    komoju.faults.reset();
    expect(res.body).toMatchObject({ provider: 'spayon', routing: { chosen_by: 'rule', rule: 'usd-komoju-first' } });
    expect(res.body.routing.attempts.map((a: { provider: string; error: { code: string } | null }) => [a.provider, a.error?.code ?? null])).toEqual([['komoju', 'provider_timeout'], ['spayon', null]]);
    const cancel = await waitFor(async () => komoju.http.calls.find((call) => call.method === 'POST' && /^\/api\/v1\/sessions\/[^/]+\/cancel$/.test(call.path)), 15_000, 100);
    const komojuSessionId = /sessions\/([^/]+)\/cancel/.exec(cancel.path)![1];
    await waitFor(async () => komoju.session(komojuSessionId).status === 'cancelled', 5000);
    // The replay found the session the lost call made: KOMOJU holds one session for it, cancelled.
    expect(komoju.sessionCount).toBe(sessionsBefore + 1);
    expect((await app.api().get(`/v1/sessions/${res.body.id}`).expect(200)).body).toMatchObject({ provider: 'spayon', status: 'open' });
  }, 30_000);

  it('a pinned provider never fails over: 502 on a 500 and 504 on a timeout, the session failed with its one attempt', async () => {
    spayon.faults.set({ errorRate: 1 });
    const failed = await create(amdSession({ provider: 'spayon' })).expect(502);
    expect(failed.body).toEqual(apiError('provider_error', { code: 'provider_server_error' }));
    spayon.faults.set({ errorRate: 0, timeoutRate: 1 });
    const timedOut = await create(amdSession({ provider: 'spayon' })).expect(504);
    expect(timedOut.body).toEqual(apiError('provider_error', { code: 'provider_timeout' }));
    const rows = await app.em().find(Session, { provider: 'spayon', status: 'failed' }, { orderBy: { createdAt: 'asc' } });
    expect(rows.slice(-2).map((row) => [row.failure?.code, row.routing])).toEqual([
      ['provider_server_error', { chosen_by: 'pinned', rule: null, attempts: [expect.objectContaining({ provider: 'spayon', outcome: 'failed' })] }],
      ['provider_timeout', { chosen_by: 'pinned', rule: null, attempts: [expect.objectContaining({ provider: 'spayon', outcome: 'failed' })] }],
    ]);
    expect(await app.em().count(Session, { provider: 'smart_glocal', orderId: { $in: [failed.body.order_id, timedOut.body.order_id].filter(Boolean) } })).toBe(0);
  });

  it('the breaker opens after consecutive failures, skips Spayon, half-opens after the cool-down and closes on a good probe', async () => {
    spayon.faults.set({ errorRate: 1 });
    for (let i = 0; i < 2; i++) expect((await create().expect(201)).body.provider).toBe('smart_glocal');
    expect((await ready()).info.providers.spayon).toMatchObject({ status: 'down', breaker: { state: 'open', consecutive_failures: 2, last_failure_code: 'provider_server_error', retry_at: expect.any(String) } });
    expect(await metrics()).toMatch(/paymux_provider_breaker_state\{provider="spayon"\} 2/);
    expect(await metrics()).toMatch(/paymux_provider_errors_total\{provider="spayon",operation="create_session",code="provider_server_error"\} [1-9]/);
    expect(await metrics()).toMatch(/paymux_provider_request_duration_seconds_count\{provider="smart_glocal",operation="create_session",outcome="ok"\} [1-9]/);

    // Open: Spayon is not even called.
    spayon.faults.reset();
    const calls = spayon.requests.createSession + spayon.requests.tokens;
    const skipped = await create().expect(201);
    expect(skipped.body.provider).toBe('smart_glocal');
    expect(skipped.body.routing.attempts).toEqual([
      { provider: 'spayon', outcome: 'skipped', error: { code: 'circuit_open', message: expect.stringContaining('circuit breaker is open') }, duration_ms: 0 },
      expect.objectContaining({ provider: 'smart_glocal', outcome: 'created' }),
    ]);
    expect(spayon.requests.createSession + spayon.requests.tokens).toBe(calls);

    // After the cool-down one request probes Spayon; it answers, so the breaker closes.
    app.paymux.app.get(Clock).advance((COOLDOWN_SECONDS + 1) * 1000);
    const probe = await create().expect(201);
    expect(probe.body).toMatchObject({ provider: 'spayon', routing: { attempts: [expect.objectContaining({ provider: 'spayon', outcome: 'created' })] } });
    expect((await ready()).info.providers.spayon).toMatchObject({ status: 'up', breaker: { state: 'closed', consecutive_failures: 0 } });
    expect(await metrics()).toMatch(/paymux_provider_breaker_state\{provider="spayon"\} 0/);
  });

  it('a failed probe opens the breaker again, and the buyer is still served by the next provider', async () => {
    spayon.faults.set({ errorRate: 1 });
    for (let i = 0; i < 2; i++) await create().expect(201);
    app.paymux.app.get(Clock).advance((COOLDOWN_SECONDS + 1) * 1000);
    const probe = await create().expect(201);
    expect(probe.body.routing.attempts.map((a: { provider: string; outcome: string }) => `${a.provider}:${a.outcome}`)).toEqual(['spayon:failed', 'smart_glocal:created']);
    const { breaker } = (await ready()).info.providers.spayon;
    expect(breaker.state).toBe('open');
    expect(new Date(breaker.retry_at).getTime()).toBeGreaterThan(app.paymux.app.get(Clock).now().getTime());
    expect((await create().expect(201)).body.routing.attempts[0]).toMatchObject({ provider: 'spayon', outcome: 'skipped' });
  });

  it('every eligible provider failing: 502 with each attempt on the stored failed session', async () => {
    spayon.faults.set({ errorRate: 1 });
    simulatorOf(app).faults.set({ errorRate: 1 });
    const res = await create().expect(502);
    expect(res.body).toEqual(apiError('provider_error'));
    const session = await app.em().findOneOrFail(Session, { status: 'failed', orderId: { $ne: null } }, { orderBy: { createdAt: 'desc' } });
    expect(session.routing?.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['spayon:failed', 'smart_glocal:failed']);
    const events = (await app.api().get(`/v1/sessions/${session.id}/events`).expect(200)).body.data;
    expect(events[events.length - 1]).toMatchObject({ to_status: 'failed', note: expect.stringContaining('creation failed at every provider') });

    // With both breakers open, nothing is called and the answer says why.
    await create().expect(502);
    const refused = await create().expect(502);
    expect(refused.body).toEqual(apiError('provider_error', { code: 'circuit_open' }));
  });
});
