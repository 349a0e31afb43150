import { Delivery } from '../../src/notifications/delivery.entity';
import { startAppProcess } from '../support/app-process';
import { startTestApp, TestApp } from '../support/app';
import { createTestDatabase, TestDatabase, usingPostgres } from '../support/database';
import { clockOf, deliverNow, insertSession, Receiver, ReceivedRequest, startReceiver, transition, waitFor } from '../support/notifications';

const eventIdOf = (request: ReceivedRequest): string => JSON.parse(request.rawBody.toString()).id;

/** `count` sessions each moved to processing: `count` events, one delivery each per endpoint. */
async function emitEvents(app: TestApp, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await transition(app, (await insertSession(app)).id, 'processing');
}

describe('delivery survives crashes and runs safely in several instances', () => {
  let database: TestDatabase;
  let app: TestApp;
  let receiver: Receiver;

  beforeEach(async () => {
    database = await createTestDatabase();
    app = await startTestApp({}, database);
  });
  afterEach(async () => {
    await receiver?.close();
    await app.close();
    await database.drop();
  });

  it('an instance killed with SIGKILL mid-delivery loses nothing: after a restart every event is delivered at least once', async () => {
    const EVENTS = 120;
    receiver = await startReceiver((_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 150));
    await app.api().post('/v1/webhook-endpoints', { url: receiver.url }).expect(201);
    await emitEvents(app, EVENTS);

    const worker = await startAppProcess(database, { JOBS_ENABLED: 'true', JOB_DELIVER_NOTIFICATIONS_INTERVAL_SECONDS: '1' });
    try {
      await waitFor(() => receiver.requests.length >= 30, 30_000, 'the worker to start delivering').catch(async (e) => { console.log('received', receiver.requests.length, await app.em().find(Delivery, {}, { limit: 3 })); throw e; });
    } finally {
      await worker.kill();
    }
    const seenBeforeKill = new Set(receiver.requests.map(eventIdOf)).size;
    expect(seenBeforeKill).toBeLessThan(EVENTS);
    const claimedByTheDead = await app.em().count(Delivery, { state: 'pending', lockedUntil: { $ne: null } });
    expect(claimedByTheDead).toBeGreaterThan(0);

    // The restarted instance: the dead one's leases lapse, then everything goes out.
    const restarted = await deliverNow(app);
    expect(restarted.examined).toBeLessThan(EVENTS - seenBeforeKill + 1);
    clockOf(app).advance(10 * 60_000);
    for (let run = 0; run < 10 && (await deliverNow(app)).examined > 0; run++);

    expect(await app.em().count(Delivery, { state: { $ne: 'delivered' } })).toBe(0);
    const received = new Set(receiver.requests.map(eventIdOf));
    expect(received.size).toBe(EVENTS);
    // Only what was in flight when the process died may arrive twice.
    expect(receiver.requests.length - EVENTS).toBeLessThanOrEqual(16);
  }, 120_000);

  (usingPostgres() ? it : it.skip)('two instances never send one delivery at the same moment, and together send each exactly once', async () => {
    const EVENTS = 200;
    let overlaps = 0;
    const inFlight = new Set<string>();
    receiver = await startReceiver((request, res) => {
      const id = eventIdOf(request);
      if (inFlight.has(id)) overlaps += 1;
      inFlight.add(id);
      setTimeout(() => {
        inFlight.delete(id);
        res.writeHead(200).end('ok');
      }, 10);
    });
    await app.api().post('/v1/webhook-endpoints', { url: receiver.url }).expect(201);
    await emitEvents(app, EVENTS);

    const other = await startTestApp({}, database);
    try {
      const drain = async (instance: TestApp) => {
        let examined = 0;
        for (let run = await deliverNow(instance); run.examined > 0; run = await deliverNow(instance)) examined += run.examined;
        return examined;
      };
      const [mine, theirs] = await Promise.all([drain(app), drain(other)]);
      expect(mine + theirs).toBe(EVENTS);
      expect(mine).toBeGreaterThan(0);
      expect(theirs).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
    expect(overlaps).toBe(0);
    expect(receiver.requests).toHaveLength(EVENTS);
    expect(new Set(receiver.requests.map(eventIdOf)).size).toBe(EVENTS);
    expect(await app.em().count(Delivery, { state: 'delivered' })).toBe(EVENTS);
  }, 120_000);
});
