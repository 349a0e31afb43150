import request from 'supertest';
import { Clock } from '../../src/clock';
import { startTestApp, TestApp } from '../support/app';
import { spayonSimulatorOf, type SpayonSimulator } from '../support/spayon';

const COOLDOWN_SECONDS = 60;

/**
 * Two instances on one database, each with its own in-process Spayon simulator: only the first
 * one's Spayon fails, so the second can only know of the outage from the shared breaker.
 */
describe('two instances on one database agree on the breaker', () => {
  const instances: { app: TestApp; spayon: SpayonSimulator }[] = [];

  beforeAll(async () => {
    const env = { BREAKER_FAILURE_THRESHOLD: '3', BREAKER_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS) };
    const first = await startTestApp(env);
    const second = await startTestApp(env, first.database);
    for (const app of [first, second]) instances.push({ app, spayon: spayonSimulatorOf(app).simulator });
  });
  afterAll(async () => {
    await instances[1]?.app.close();
    await instances[0]?.app.close();
  });

  const create = (app: TestApp) =>
    app.api().post('/v1/sessions', { amount: 420000, currency: 'AMD', return_url: 'https://shop.example/thanks', customer: { reference: 'buyer-3' } }).expect(201);
  const breakerOf = async (app: TestApp) => (await request(app.url).get('/health/ready').expect(200)).body.info.providers.spayon.breaker;
  const gauge = async (app: TestApp) => /paymux_provider_breaker_state\{provider="spayon"\} (\d)/.exec((await request(app.url).get('/metrics').expect(200)).text)?.[1];

  it('failures seen by one open the breaker for both; a probe by either closes it for both', async () => {
    const [a, b] = instances;
    a.spayon.faults.set({ errorRate: 1 });
    // Every failure happens on the first instance; the second's Spayon is fine.
    for (let i = 0; i < 3; i++) expect((await create(a.app)).body.provider).toBe('smart_glocal');
    expect(await breakerOf(a.app)).toMatchObject({ state: 'open', consecutive_failures: 3 });
    expect(await breakerOf(b.app)).toMatchObject({ state: 'open', consecutive_failures: 3 });
    expect(await gauge(b.app)).toBe('2');

    // The second instance skips Spayon without calling its (healthy) Spayon.
    const before = b.spayon.requests.createSession;
    const skipped = await create(b.app);
    expect(skipped.body.provider).toBe('smart_glocal');
    expect(skipped.body.routing.attempts[0]).toMatchObject({ provider: 'spayon', outcome: 'skipped' });
    expect(b.spayon.requests.createSession).toBe(before);

    // After the cool-down the second instance probes its Spayon, which answers: closed everywhere.
    for (const { app } of instances) app.paymux.app.get(Clock).advance((COOLDOWN_SECONDS + 1) * 1000);
    expect((await create(b.app)).body.provider).toBe('spayon');
    expect(await breakerOf(a.app)).toMatchObject({ state: 'closed', consecutive_failures: 0 });
    expect(await gauge(a.app)).toBe('0');
    a.spayon.faults.reset();
    expect((await create(a.app)).body.provider).toBe('spayon');
  });

  it('only one of many concurrent requests on the two instances probes a half-open provider', async () => {
    const [a, b] = instances;
    a.spayon.faults.set({ errorRate: 1 });
    for (let i = 0; i < 3; i++) await create(a.app);
    expect((await breakerOf(b.app)).state).toBe('open');
    a.spayon.faults.reset();
    for (const { app } of instances) app.paymux.app.get(Clock).advance((COOLDOWN_SECONDS + 1) * 1000);
    // A slow Spayon keeps the probe in flight while the other requests arrive.
    for (const { spayon } of instances) spayon.faults.set({ latencyMs: 1500 });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => create(instances[i % 2].app)));
    const atSpayon = answers.filter((res) => res.body.provider === 'spayon');
    expect(atSpayon).toHaveLength(1);
    const skipped = answers.filter((res) => res.body.routing.attempts[0].outcome === 'skipped');
    expect(skipped).toHaveLength(7);
    expect((await breakerOf(a.app)).state).toBe('closed');
    for (const { spayon } of instances) spayon.faults.reset();
  });
});

describe('the breaker opens on the error rate over the window too', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ BREAKER_FAILURE_THRESHOLD: '100', BREAKER_ERROR_RATE_PERCENT: '50', BREAKER_MIN_REQUESTS: '4', BREAKER_WINDOW_SECONDS: '600' });
  });
  afterAll(() => app.close());

  it('two good calls and two failures (50 % of 4) open it; the window starting again forgets old calls', async () => {
    const spayon = spayonSimulatorOf(app).simulator;
    const breaker = async () => (await request(app.url).get('/health/ready').expect(200)).body.info.providers.spayon.breaker;
    const routedTo = async () => (await app.api().post('/v1/sessions', { amount: 420000, currency: 'AMD', return_url: 'https://shop.example/thanks', customer: { reference: 'buyer-4' } }).expect(201)).body.provider;
    for (let i = 0; i < 2; i++) expect(await routedTo()).toBe('spayon');
    spayon.faults.set({ errorRate: 1 });
    expect(await routedTo()).toBe('smart_glocal');
    expect(await breaker()).toMatchObject({ state: 'closed', window_calls: 3, window_failures: 1 });
    expect(await routedTo()).toBe('smart_glocal');
    expect(await breaker()).toMatchObject({ state: 'open', consecutive_failures: 2, window_calls: 4, window_failures: 2 });
    spayon.faults.reset();
  });
});
