import request from 'supertest';
import { ExpireSessionsJob } from '../../src/jobs/expire-sessions.job';
import { JobRun } from '../../src/jobs/job-run.entity';
import { Event } from '../../src/notifications/event.entity';
import { SessionEvent } from '../../src/sessions/session-event.entity';
import { Session } from '../../src/sessions/session.entity';
import { startTestApp, TestApp } from '../support/app';
import { usingPostgres } from '../support/database';
import { insertSessions, registerStubProvider, StubProvider } from '../support/stub-provider';
import { waitFor } from '../support/wait';

/** Two instances need row locks (SKIP LOCKED): PostgreSQL only; SQLite assumes one instance. */
const describePostgres = usingPostgres() ? describe : describe.skip;

describePostgres('two instances on one database, schedulers on', () => {
  const instances: { app: TestApp; provider: StubProvider }[] = [];
  const em = () => instances[0].app.em();

  beforeAll(async () => {
    const env = (id: string) => ({
      JOBS_ENABLED: 'true',
      INSTANCE_ID: id,
      JOB_EXPIRE_SESSIONS_INTERVAL_SECONDS: '1',
      JOBS_DISABLED: 'reconcile-sessions,purge-idempotency-keys,deliver-notifications',
    });
    const first = await startTestApp(env('instance-a'));
    const second = await startTestApp(env('instance-b'), first.database);
    for (const app of [first, second]) {
      const provider = registerStubProvider(app);
      provider.latencyMs = 2;
      instances.push({ app, provider });
    }
  });
  afterAll(async () => {
    await instances[1]?.app.close();
    await instances[0]?.app.close();
  });

  it('expires 2,000 stale sessions exactly once each: one provider check, one session event, one outbound event', async () => {
    const ids = await insertSessions(em(), 2000);
    await waitFor(async () => (await em().count(Session, { status: 'open' })) === 0, 120_000, 200);

    expect(await em().count(Session, { id: { $in: ids }, status: 'expired' })).toBe(2000);
    expect(await em().count(SessionEvent, { sessionId: { $in: ids }, toStatus: 'expired' })).toBe(2000);
    expect(await em().count(SessionEvent, { sessionId: { $in: ids } })).toBe(2000);
    expect(await em().count(Event, { sessionId: { $in: ids }, type: 'session.expired' })).toBe(2000);
    const asked = instances.flatMap(({ provider }) => provider.asked);
    expect(asked).toHaveLength(2000);
    expect(new Set(asked).size).toBe(2000);
    expect(await em().count(JobRun, { status: 'failed' })).toBe(0);
    // Both instances did part of the work.
    for (const { provider } of instances) expect(provider.asked.length).toBeGreaterThan(0);
    expect(await em().count(Session, { claimedBy: { $ne: null } })).toBe(0);
  }, 180_000);

  it('a paid callback racing the expiry of the same session always ends succeeded (late when the expiry won), 200 times', async () => {
    const [a, b] = instances;
    const outcomes = { expiredFirst: 0, paidFirst: 0 };
    for (let round = 0; round < 200; round++) {
      const [id] = await insertSessions(em(), 1);
      // Each side starts after its own random pause, so either may take the row first (the job
      // has more to do before it reaches the row, so the callback's pauses run longer).
      const pause = (upToMs: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * upToMs));
      const expiry = async () => {
        await pause(8);
        await a.app.paymux.app.get(ExpireSessionsJob).run({ signal: new AbortController().signal, instanceId: 'instance-a' });
      };
      const callback = async () => {
        await pause(30);
        await request(b.app.url).post('/v1/webhooks/test-provider').send({ id: `paid_${id}`, provider_session_id: `stub_${id}`, status: 'succeeded' }).expect(200);
      };
      await Promise.all([expiry(), callback()]);

      const session = await em().findOneOrFail(Session, { id });
      const events = await em().find(SessionEvent, { sessionId: id }, { orderBy: { id: 'asc' } });
      const changes = events.map((event) => `${event.fromStatus}>${event.toStatus}${event.late ? ' late' : ''}`);
      expect(session.status).toBe('succeeded');
      if (changes.length === 2) {
        expect(changes).toEqual(['open>expired', 'expired>succeeded late']);
        expect(session.late).toBe(true);
        outcomes.expiredFirst += 1;
      } else {
        expect(changes).toEqual(['open>succeeded']);
        expect(session.late).toBe(false);
        outcomes.paidFirst += 1;
      }
      expect(await em().count(Event, { sessionId: id })).toBe(changes.length);
    }
    expect(outcomes.expiredFirst + outcomes.paidFirst).toBe(200);
    // Both orders really happened, so both paths were exercised.
    expect(outcomes.expiredFirst).toBeGreaterThan(0);
    expect(outcomes.paidFirst).toBeGreaterThan(0);
  }, 180_000);
});
