import { Clock } from '../../src/clock';
import { ExpireSessionsJob } from '../../src/jobs/expire-sessions.job';
import { Session } from '../../src/sessions/session.entity';
import { startAppProcess } from '../support/app-process';
import { freePort, startTestApp, TestApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { customSpayonSession } from '../support/spayon';
import { waitFor } from '../support/notifications';

jest.setTimeout(120_000);

/**
 * A process killed with SIGKILL while the provider call of POST /v1/sessions is in flight (the
 * simulator holds it open): the session is stored, the provider never answered, nothing ran to
 * clean up. `app` is the instance that is left (or restarted) on the same database.
 */
describe('session creation survives kill -9 of its process', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeEach(async () => {
    database = await createTestDatabase();
    app = await startTestApp({}, database);
  });
  afterEach(async () => {
    await app.close();
    await database.drop();
  });

  async function createAndKill(idempotencyKey: string | null, orderId: string): Promise<Session> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const doomed = await startAppProcess(database, { PORT: String(port), PUBLIC_URL: url, JOBS_ENABLED: 'false', PROVIDER_TIMEOUT_MS: '30000' });
    try {
      await fetch(`${url}/simulators/spayon/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 20_000 }) });
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer pmx_test_key_0123456789abcdefghijklmnop` };
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      void fetch(`${url}/v1/sessions`, { method: 'POST', headers, body: JSON.stringify({ ...customSpayonSession, order_id: orderId }) }).catch(() => undefined);
      await waitFor(async () => (await app.em().count(Session, { orderId })) === 1, 30_000, 'the session to be stored');
    } finally {
      await doomed.kill();
    }
    const orphan = await app.em().findOneOrFail(Session, { orderId });
    expect(orphan).toMatchObject({ status: 'open', providerSessionId: null });
    return orphan;
  }

  it("the client's retry with the same Idempotency-Key resumes the session promptly instead of making a second one", async () => {
    const orphan = await createAndKill('order-crash-1', 'ORDER_CRASH_1');
    const started = Date.now();
    let answer = await app.api().post('/v1/sessions', { ...customSpayonSession, order_id: 'ORDER_CRASH_1' }).set('Idempotency-Key', 'order-crash-1');
    while (answer.status === 409 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await app.api().post('/v1/sessions', { ...customSpayonSession, order_id: 'ORDER_CRASH_1' }).set('Idempotency-Key', 'order-crash-1');
    }
    expect(answer.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer.body).toMatchObject({ id: orphan.id, status: 'open', provider_session_id: expect.any(String), redirect_url: expect.any(String) });
    expect(await app.em().count(Session, { orderId: 'ORDER_CRASH_1' })).toBe(1);

    const replay = await app.api().post('/v1/sessions', { ...customSpayonSession, order_id: 'ORDER_CRASH_1' }).set('Idempotency-Key', 'order-crash-1').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(orphan.id);
  });

  it('a session left open without a provider session and never retried is failed by the next expiry pass', async () => {
    const orphan = await createAndKill(null, 'ORDER_CRASH_2');
    app.paymux.app.get(Clock).advance(5 * 60_000);
    await app.paymux.app.get(ExpireSessionsJob).run({ signal: new AbortController().signal, instanceId: 'test' });
    const after = await app.em().findOneOrFail(Session, { id: orphan.id });
    expect(after.status).toBe('failed');
    expect(after.failure).toMatchObject({ code: 'creation_interrupted', source: 'paymux' });
    const answer = await app.api().get(`/v1/sessions/${orphan.id}`).expect(200);
    expect(answer.body.status).toBe('failed');
  });
});
