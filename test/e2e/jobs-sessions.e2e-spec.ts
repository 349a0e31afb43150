import request from 'supertest';
import { Clock } from '../../src/clock';
import { ExpireSessionsJob } from '../../src/jobs/expire-sessions.job';
import { JobContext } from '../../src/jobs/job-registry';
import { JobRun } from '../../src/jobs/job-run.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import { ReconcileSessionsJob } from '../../src/jobs/reconcile-sessions.job';
import { Event } from '../../src/notifications/event.entity';
import { SessionEvent } from '../../src/sessions/session-event.entity';
import { Session } from '../../src/sessions/session.entity';
import { startTestApp, TestApp } from '../support/app';
import { insertSessions, registerStubProvider, StubProvider } from '../support/stub-provider';
import { waitFor } from '../support/wait';

const context = (): JobContext => ({ signal: new AbortController().signal, instanceId: 'test' });

describe('expire-sessions', () => {
  let app: TestApp;
  let provider: StubProvider;
  const clock = () => app.paymux.app.get(Clock);
  const expire = () => app.paymux.app.get(ExpireSessionsJob).run(context());
  const session = (id: string) => app.em().findOneOrFail(Session, { id });
  const events = (id: string) => app.em().find(SessionEvent, { sessionId: id }, { orderBy: { id: 'asc' } });

  beforeAll(async () => {
    app = await startTestApp({ EXPIRY_GRACE_SECONDS: '60', EXPIRY_MAX_WAIT_SECONDS: '3600' });
    provider = registerStubProvider(app);
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    clock().reset();
    provider.unreachable = false;
    provider.statuses.clear();
    // Leave no stale session from an earlier test behind.
    await app.em().nativeUpdate(Session, { status: { $in: ['open', 'processing'] } }, { status: 'cancelled' });
  });

  it('expires open and processing sessions past expires_at plus the grace period once the provider says pending', async () => {
    const now = Date.now();
    const [open] = await insertSessions(app.em(), 1, { expiresAt: new Date(now - 61_000) });
    const [processing] = await insertSessions(app.em(), 1, { status: 'processing', expiresAt: new Date(now - 3600_000) });
    const [inGrace] = await insertSessions(app.em(), 1, { expiresAt: new Date(now - 30_000) });
    const [future] = await insertSessions(app.em(), 1, { expiresAt: new Date(now + 600_000) });

    expect(await expire()).toEqual({ examined: 2, changed: 2 });
    for (const id of [open, processing]) {
      expect(await session(id)).toMatchObject({ status: 'expired', claimedBy: null, claimedUntil: null, providerStatus: 'pending' });
      expect(await events(id)).toEqual([expect.objectContaining({ toStatus: 'expired', source: 'scheduler', note: null, providerStatus: 'pending' })]);
      expect(await app.em().count(Event, { sessionId: id, type: 'session.expired' })).toBe(1);
    }
    expect(provider.asked).toEqual(expect.arrayContaining([open, processing]));
    expect((await session(inGrace)).status).toBe('open');
    expect((await session(future)).status).toBe('open');

    clock().advance(31_000);
    expect(await expire()).toEqual({ examined: 1, changed: 1 });
    expect((await session(inGrace)).status).toBe('expired');
    expect(await expire()).toEqual({ examined: 0, changed: 0 });
  });

  it('a provider that reports paid during the expiry check makes the session succeeded, not expired', async () => {
    const [id] = await insertSessions(app.em(), 1);
    provider.statuses.set(`stub_${id}`, 'succeeded');
    expect(await expire()).toEqual({ examined: 1, changed: 1 });
    expect(await session(id)).toMatchObject({ status: 'succeeded', late: false });
    expect(await events(id)).toEqual([expect.objectContaining({ fromStatus: 'open', toStatus: 'succeeded', source: 'scheduler' })]);
    expect(await app.em().count(Event, { sessionId: id, type: 'session.expired' })).toBe(0);
  });

  it('a provider that reports a decline during the expiry check makes the session failed', async () => {
    const [id] = await insertSessions(app.em(), 1);
    provider.statuses.set(`stub_${id}`, 'failed');
    await expire();
    expect((await session(id)).status).toBe('failed');
  });

  it('leaves a session whose provider is unreachable for the next run, then expires it after EXPIRY_MAX_WAIT_SECONDS saying it was not confirmed', async () => {
    const [id] = await insertSessions(app.em(), 1, { expiresAt: new Date(Date.now() - 120_000) });
    provider.unreachable = true;
    expect(await expire()).toEqual({ examined: 1, changed: 0 });
    expect(await session(id)).toMatchObject({ status: 'open', expiryCheckFailures: 1, claimedBy: null });
    await expire();
    expect(await session(id)).toMatchObject({ status: 'open', expiryCheckFailures: 2 });

    clock().advance(3600_000 - 120_000 - 5000); // still just inside the maximum wait
    await expire();
    expect(await session(id)).toMatchObject({ status: 'open', expiryCheckFailures: 3 });

    clock().advance(10_000);
    expect(await expire()).toEqual({ examined: 1, changed: 1 });
    expect((await session(id)).status).toBe('expired');
    const [event] = await events(id);
    expect(event).toMatchObject({ toStatus: 'expired', source: 'scheduler' });
    expect(event.note).toMatch(/^expired without provider confirmation after 4 failed checks: test_provider did not answer/);
  });

  it('a paid callback after the expiry marks the session succeeded and late, with one event per change', async () => {
    const [id] = await insertSessions(app.em(), 1);
    await expire();
    await request(app.url).post('/v1/webhooks/test-provider').send({ id: `cb_${id}`, provider_session_id: `stub_${id}`, status: 'succeeded' }).expect(200);
    expect(await session(id)).toMatchObject({ status: 'succeeded', late: true });
    expect((await events(id)).map((e) => [e.toStatus, e.source, e.late])).toEqual([['expired', 'scheduler', false], ['succeeded', 'webhook', true]]);
  });

  it('skips sessions another instance holds a live claim on, and takes them over once the claim lapses', async () => {
    const [id] = await insertSessions(app.em(), 1);
    await app.em().nativeUpdate(Session, { id }, { claimedBy: 'other/instance', claimedUntil: new Date(clock().now().getTime() + 60_000) });
    expect(await expire()).toEqual({ examined: 0, changed: 0 });
    clock().advance(61_000);
    expect(await expire()).toEqual({ examined: 1, changed: 1 });
    expect((await session(id)).status).toBe('expired');
  });

  it('works through a backlog in batches: 450 sessions in one run', async () => {
    await insertSessions(app.em(), 450);
    expect(await expire()).toEqual({ examined: 450, changed: 450 });
    expect(await app.em().count(Session, { status: 'open', expiresAt: { $lt: new Date() } })).toBe(0);
  });

  it('reports sessions it expired in paymux_sessions_expired_total by provider', async () => {
    const metrics = await app.api().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/paymux_sessions_expired_total\{provider="test_provider"\} \d+/);
  });
});

describe('expire-sessions with EXPIRY_CHECK_PROVIDER off', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp({ EXPIRY_CHECK_PROVIDER: 'false' })));
  afterAll(() => app.close());

  it('expires on time alone, without asking the provider, and says so', async () => {
    const provider = registerStubProvider(app);
    const [id] = await insertSessions(app.em(), 1);
    expect(await app.paymux.app.get(ExpireSessionsJob).run(context())).toEqual({ examined: 1, changed: 1 });
    expect(provider.asked).toEqual([]);
    const [event] = await app.em().find(SessionEvent, { sessionId: id });
    expect(event).toMatchObject({ toStatus: 'expired', note: expect.stringContaining('without asking the provider') });
  });
});

describe('reconcile-sessions', () => {
  let app: TestApp;
  let provider: StubProvider;
  const reconcile = () => app.paymux.app.get(ReconcileSessionsJob).run(context());
  beforeAll(async () => {
    app = await startTestApp({ RECONCILE_AFTER_SECONDS: '300', RECONCILE_BATCH_SIZE: '3', JOBS_PROVIDER_CONCURRENCY: '2' });
    provider = registerStubProvider(app);
  });
  afterAll(() => app.close());

  it('syncs open sessions quiet for RECONCILE_AFTER_SECONDS, oldest first, a bounded number per run', async () => {
    const now = Date.now();
    const future = new Date(now + 3600_000);
    const [never] = await insertSessions(app.em(), 1, { expiresAt: future, createdAt: new Date(now - 3 * 3600_000) });
    const [oldest] = await insertSessions(app.em(), 1, { expiresAt: future, lastProviderUpdateAt: new Date(now - 7200_000) });
    const [older] = await insertSessions(app.em(), 1, { expiresAt: future, lastProviderUpdateAt: new Date(now - 3600_000) });
    const [old] = await insertSessions(app.em(), 1, { expiresAt: future, lastProviderUpdateAt: new Date(now - 600_000) });
    const [recent] = await insertSessions(app.em(), 1, { expiresAt: future, lastProviderUpdateAt: new Date(now - 60_000) });
    provider.statuses.set(`stub_${oldest}`, 'succeeded');

    expect(await reconcile()).toEqual({ examined: 3, changed: 1 });
    expect(provider.asked.sort()).toEqual([never, oldest, older].sort());
    const byId = async (id: string) => app.em().findOneOrFail(Session, { id });
    expect(await byId(oldest)).toMatchObject({ status: 'succeeded' });
    expect((await app.em().find(SessionEvent, { sessionId: oldest }))[0]).toMatchObject({ toStatus: 'succeeded', source: 'scheduler' });
    expect((await byId(never)).lastProviderUpdateAt).not.toBeNull();

    provider.asked.length = 0;
    expect(await reconcile()).toEqual({ examined: 1, changed: 0 });
    expect(provider.asked).toEqual([old]);
    expect(provider.asked).not.toContain(recent);
  });

  it('makes at most JOBS_PROVIDER_CONCURRENCY calls at once per provider', async () => {
    const past = new Date(Date.now() - 3600_000);
    await insertSessions(app.em(), 3, { expiresAt: new Date(Date.now() + 3600_000), lastProviderUpdateAt: past });
    let inFlight = 0;
    let most = 0;
    const original = provider.fetchStatus.bind(provider);
    provider.fetchStatus = async (ref) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return await original(ref);
      } finally {
        inFlight -= 1;
      }
    };
    try {
      expect((await reconcile()).examined).toBe(3);
    } finally {
      provider.fetchStatus = original;
    }
    expect(most).toBe(2);
  });

  it('backs off from a session whose provider cannot be reached', async () => {
    await app.em().nativeUpdate(Session, { status: { $in: ['open', 'processing'] } }, { status: 'cancelled' });
    const [id] = await insertSessions(app.em(), 1, { expiresAt: new Date(Date.now() + 3600_000), lastProviderUpdateAt: new Date(Date.now() - 3600_000) });
    provider.unreachable = true;
    try {
      expect(await reconcile()).toEqual({ examined: 1, changed: 0 });
    } finally {
      provider.unreachable = false;
    }
    expect((await app.em().findOneOrFail(Session, { id })).claimedUntil).not.toBeNull();
    expect(await reconcile()).toEqual({ examined: 0, changed: 0 });
    app.paymux.app.get(Clock).advance(301_000);
    expect(await reconcile()).toEqual({ examined: 1, changed: 0 });
  });
});

describe('graceful shutdown', () => {
  it('lets a running job finish its batch, release what it did not get to, and record the run before the app closes', async () => {
    const app = await startTestApp();
    const provider = registerStubProvider(app);
    provider.latencyMs = 50;
    await insertSessions(app.em(), 20);
    const run = app.paymux.app.get(JobsService).runNow('expire-sessions');
    await waitFor(async () => provider.asked.length > 0);
    await app.paymux.close();
    const answered = await run;
    // No new provider call once shutdown began: the sessions already asked about are settled,
    // the others are given back untouched for the next run (of any instance).
    expect(answered).toMatchObject({ status: 'succeeded', examined: 20, changed: provider.asked.length });
    expect(provider.asked.length).toBeLessThan(20);

    const again = await startTestApp({}, app.database);
    try {
      expect(await again.em().count(JobRun, { status: 'running' })).toBe(0);
      expect(await again.em().count(Session, { status: 'expired' })).toBe(provider.asked.length);
      expect(await again.em().count(Session, { status: 'open', expiryCheckFailures: 0 })).toBe(20 - provider.asked.length);
      expect(await again.em().count(Session, { claimedBy: { $ne: null } })).toBe(0);
    } finally {
      await again.close();
      await app.database.drop();
    }
  });
});
