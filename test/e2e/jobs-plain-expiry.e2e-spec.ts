import request from 'supertest';
import { Clock } from '../../src/clock';
import { ExpireSessionsJob } from '../../src/jobs/expire-sessions.job';
import { JobContext } from '../../src/jobs/job-registry';
import { Delivery } from '../../src/notifications/delivery.entity';
import { Event } from '../../src/notifications/event.entity';
import { WebhookEndpoint } from '../../src/notifications/webhook-endpoint.entity';
import { SessionEvent } from '../../src/sessions/session-event.entity';
import { Session } from '../../src/sessions/session.entity';
import { SessionTransitions } from '../../src/sessions/session-transitions';
import { startTestApp, TestApp } from '../support/app';
import { usingPostgres } from '../support/database';
import { insertSessions, registerStubProvider, StubProvider } from '../support/stub-provider';

const context = (): JobContext => ({ signal: new AbortController().signal, instanceId: 'test' });
const itOnPostgres = usingPostgres() ? it : it.skip;

/** Expiries no provider is asked about are written set-based, a batch at a time. */
describe('expire-sessions without provider checks (set-based)', () => {
  let app: TestApp;
  let provider: StubProvider;
  const expire = () => app.paymux.app.get(ExpireSessionsJob).run(context());
  const session = (id: string) => app.em().findOneOrFail(Session, { id });
  const changes = async (id: string) =>
    (await app.em().find(SessionEvent, { sessionId: id }, { orderBy: { id: 'asc' } })).map((e) => `${e.fromStatus}>${e.toStatus}${e.late ? ' late' : ''}`);
  const pay = (id: string) =>
    request(app.url).post('/v1/webhooks/test-provider').send({ id: `paid_${id}`, provider_session_id: `stub_${id}`, status: 'succeeded' }).expect(200);

  beforeAll(async () => {
    app = await startTestApp({ EXPIRY_CHECK_PROVIDER: 'false', EXPIRY_GRACE_SECONDS: '60' });
    provider = registerStubProvider(app);
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    app.paymux.app.get(Clock).reset();
    await app.em().nativeUpdate(Session, { status: { $in: ['open', 'processing'] } }, { status: 'cancelled' });
    await app.em().nativeDelete(WebhookEndpoint, {});
  });

  it('gives each of 1,500 expired sessions exactly one session event and one outbound event, with its deliveries, in one run', async () => {
    const endpoint = (fields: Partial<WebhookEndpoint>) => Object.assign(new WebhookEndpoint(), { url: 'https://merchant.example/hooks', secret: 'whsec_test', ...fields });
    const all = endpoint({});
    const other = endpoint({ enabledEvents: ['session.succeeded'] });
    const deleted = endpoint({ deletedAt: new Date() });
    await app.em().persistAndFlush([all, other, deleted]);
    const open = await insertSessions(app.em(), 1000);
    const processing = await insertSessions(app.em(), 500, { status: 'processing' });
    const [inGrace] = await insertSessions(app.em(), 1, { expiresAt: new Date(Date.now() - 30_000) });
    await app.em().nativeUpdate(Session, { id: open[0] }, { callbackUrl: 'https://merchant.example/session-callback' });

    expect(await expire()).toEqual({ examined: 1500, changed: 1500 });
    expect(provider.asked).toEqual([]);
    const ids = [...open, ...processing];
    expect(await app.em().count(Session, { id: { $in: ids }, status: 'expired', late: false, completedAt: { $ne: null } })).toBe(1500);
    expect((await session(inGrace)).status).toBe('open');

    const events = await app.em().find(SessionEvent, { sessionId: { $in: ids } });
    expect(events).toHaveLength(1500);
    expect(new Set(events.map((e) => e.sessionId)).size).toBe(1500);
    const fromOf = new Map(events.map((e) => [e.sessionId, e]));
    for (const id of [open[0], processing[0]]) {
      expect(fromOf.get(id)).toMatchObject({
        fromStatus: id === open[0] ? 'open' : 'processing', toStatus: 'expired', source: 'scheduler', late: false, providerStatus: null,
        note: 'expired without asking the provider (EXPIRY_CHECK_PROVIDER is off)',
      });
    }

    const outbound = await app.em().find(Event, { sessionId: { $in: ids } });
    expect(outbound).toHaveLength(1500);
    expect(new Set(outbound.map((e) => e.sessionId)).size).toBe(1500);
    expect(outbound.every((e) => e.type === 'session.expired')).toBe(true);
    // The payload is the session as the API shows it after the change.
    const first = outbound.find((e) => e.sessionId === open[0])!;
    const view = (await app.api().get(`/v1/sessions/${open[0]}`).expect(200)).body;
    expect(JSON.parse(first.payload)).toEqual({ id: first.id, object: 'event', type: 'session.expired', created_at: expect.any(String), data: { object: view } });
    expect(view).toMatchObject({ status: 'expired', completed_at: expect.any(String) });
    expect(view.late).toBeUndefined();

    // One delivery per event to the endpoint taking every type, none to the other two, and one to
    // the session's own callback_url.
    const deliveries = await app.em().find(Delivery, { eventId: { $in: outbound.map((e) => e.id) } });
    expect(deliveries.filter((d) => d.endpointId === all.id)).toHaveLength(1500);
    expect(deliveries.filter((d) => d.endpointId === other.id || d.endpointId === deleted.id)).toHaveLength(0);
    expect(deliveries.filter((d) => d.endpointId === null)).toEqual([expect.objectContaining({ eventId: first.id, url: 'https://merchant.example/session-callback', state: 'pending', attempts: 0 })]);

    expect(await expire()).toEqual({ examined: 0, changed: 0 });
    expect(await app.em().count(SessionEvent, { sessionId: { $in: ids } })).toBe(1500);
  });

  it('leaves sessions already paid, still in the grace period, or claimed by a job asking a provider', async () => {
    const [paid, claimed] = await insertSessions(app.em(), 2);
    await pay(paid);
    const clock = app.paymux.app.get(Clock);
    await app.em().nativeUpdate(Session, { id: claimed }, { claimedBy: 'other/instance', claimedUntil: new Date(clock.now().getTime() + 60_000) });

    expect(await expire()).toEqual({ examined: 0, changed: 0 });
    expect(await session(paid)).toMatchObject({ status: 'succeeded', late: false });
    expect(await changes(paid)).toEqual(['open>succeeded']);
    expect((await session(claimed)).status).toBe('open');

    clock.advance(61_000);
    expect(await expire()).toEqual({ examined: 1, changed: 1 });
    expect(await changes(claimed)).toEqual(['open>expired']);
  });

  itOnPostgres('does not expire a session whose paid callback holds its row lock: the payment wins, not late, and no expired event', async () => {
    const [id] = await insertSessions(app.em(), 1);
    const transitions = app.paymux.app.get(SessionTransitions);
    await app.em().fork().transactional(async (tx) => {
      const locked = await transitions.lock(tx, id);
      // The job runs while the callback's transaction holds the row: it skips the session.
      expect(await expire()).toEqual({ examined: 0, changed: 0 });
      await transitions.applyLocked(tx, locked, { to: 'succeeded', source: 'webhook', providerStatus: 'succeeded' });
    });
    expect(await session(id)).toMatchObject({ status: 'succeeded', late: false });
    expect(await expire()).toEqual({ examined: 0, changed: 0 });
    expect(await changes(id)).toEqual(['open>succeeded']);
    expect(await app.em().count(Event, { sessionId: id })).toBe(1);
  });

  it('a paid callback racing the set-based expiry always ends succeeded, with one event per change (late when the expiry won)', async () => {
    for (let round = 0; round < 30; round++) {
      const [id] = await insertSessions(app.em(), 1);
      const callback = async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 6));
        await pay(id);
      };
      await Promise.all([expire(), callback()]);
      const found = await session(id);
      const seen = await changes(id);
      expect(found.status).toBe('succeeded');
      expect([['open>succeeded'], ['open>expired', 'expired>succeeded late']]).toContainEqual(seen);
      expect(found.late).toBe(seen.length === 2);
      expect(await app.em().count(Event, { sessionId: id })).toBe(seen.length);
    }
  });
});

describe('expire-sessions with provider checks on: sessions no provider session was created for', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp({ EXPIRY_GRACE_SECONDS: '60' })));
  afterAll(() => app.close());

  it('expires them set-based without asking the provider, and asks about the others', async () => {
    const provider = registerStubProvider(app);
    const [asked, providerless] = await insertSessions(app.em(), 2);
    await app.em().nativeUpdate(Session, { id: providerless }, { providerSessionId: null, createdAt: new Date() });

    expect(await app.paymux.app.get(ExpireSessionsJob).run(context())).toEqual({ examined: 2, changed: 2 });
    expect(provider.asked).toEqual([asked]);
    for (const id of [asked, providerless]) expect((await app.em().findOneOrFail(Session, { id })).status).toBe('expired');
    const [event] = await app.em().find(SessionEvent, { sessionId: providerless });
    expect(event).toMatchObject({ fromStatus: 'open', toStatus: 'expired', note: 'no provider session was ever created, so it cannot be paid' });
    expect(await app.em().count(Event, { sessionId: providerless, type: 'session.expired' })).toBe(1);
  });
});
