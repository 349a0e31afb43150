import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signCallback, SpayonSimulator } from '@paymux/spayon';
import { Client } from 'pg';
import { AdminClient } from '../support/admin-client';
import { TEST_API_KEY } from '../support/app';
import { BuiltServer, startBuiltServer } from '../support/built-server';
import { usingPostgres } from '../support/database';
import { Receiver, startReceiver } from '../support/notifications';
import { waitFor } from '../support/wait';

/** Two instances need row locks (SKIP LOCKED): PostgreSQL only; SQLite assumes one instance. */
const describePostgres = usingPostgres() ? describe : describe.skip;

jest.setTimeout(150_000);

const CREDENTIALS = { clientId: 'soak-client', clientSecret: 'soak-client-secret', callbackSecret: 'soak-callback-secret' };
const ADMIN = { email: 'owner@example.com', password: 'correct horse battery staple' };
const LIST = '/admin/api/resources/Product/actions/list';
const LOAD_OPERATIONS = 900;
const LOAD_MS = 40_000;
const IN_FLIGHT = 6;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A round-robin proxy over the instances; a refused connection (a killed instance) goes to the next one. */
async function startProxy(backends: () => string[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const targets = backends();
      const forward = (tries: number) => {
        const target = new URL(targets[next++ % targets.length]);
        const upstream = httpRequest(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && tries < targets.length) return forward(tries + 1);
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { type: 'bad_gateway', message: error.code ?? error.message } }));
        });
        upstream.end(body);
      };
      forward(1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function call(url: string, method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed };
  } catch (error) {
    return { status: 0, body: { error: String(error) } };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describePostgres('soak: two instances on one PostgreSQL database behind a proxy, one killed midway', () => {
  const servers: BuiltServer[] = [];
  let simulator: SpayonSimulator;
  let receiver: Receiver;
  let proxy: { url: string; close(): Promise<void> };
  let db: Client;
  const deliveries: { eventId: string; start: number; end: number }[] = [];
  let instances: [BuiltServer, BuiltServer];

  const env = (id: string, extra: Record<string, string> = {}) => ({
    BOOTSTRAP_API_KEY: TEST_API_KEY,
    SPAYON_BASE_URL: spayonUrl,
    SPAYON_CLIENT_ID: CREDENTIALS.clientId,
    SPAYON_CLIENT_SECRET: CREDENTIALS.clientSecret,
    SPAYON_CALLBACK_SECRET: CREDENTIALS.callbackSecret,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ADMIN_SESSION_SECRET: 'a shared session secret of at least 32 characters',
    JOBS_ENABLED: 'true',
    INSTANCE_ID: id,
    JOB_DELIVER_NOTIFICATIONS_INTERVAL_SECONDS: '1',
    JOBS_DISABLED: 'reconcile-sessions,purge-idempotency-keys,prune-job-runs,purge-admin-sessions',
    ...extra,
  });
  let spayonUrl = '';

  beforeAll(async () => {
    simulator = new SpayonSimulator({ ...CREDENTIALS, callbackPolicy: { attempts: 6, intervalMs: 2_000 } });
    spayonUrl = await simulator.listen();
    receiver = await startReceiver((request, response) => {
      const start = request.at;
      let eventId = '?';
      try {
        eventId = String(JSON.parse(request.rawBody.toString('utf8')).id);
      } catch {
        // recorded as '?', which fails the assertions below
      }
      // Answer a little later, so two overlapping deliveries of one event would be seen.
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        deliveries.push({ eventId, start, end: Date.now() });
      }, 40);
    });
    const first = await startBuiltServer(env('soak-a'));
    servers.push(first);
    const second = await startBuiltServer(env('soak-b'), first.database);
    servers.push(second);
    instances = [first, second];
    proxy = await startProxy(() => instances.map((server) => server.url));
    db = new Client({ connectionString: first.database.env.DATABASE_URL });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await proxy?.close();
    // The first server owns (and drops) the database: stop it last.
    for (const server of [...servers].reverse()) await server.stop();
    await receiver?.close();
    await simulator?.close();
  });

  it('keeps every invariant through a mixed load and a SIGKILL of one instance', async () => {
    const endpoint = await call(proxy.url, 'POST', '/v1/webhook-endpoints', { url: `${receiver.url}/hook` });
    expect(endpoint.status).toBe(201);
    const admin = await AdminClient.signIn(instances[0].url, ADMIN.email, ADMIN.password);
    expect((await fetch(`${instances[1].url}${LIST}`, { headers: { cookie: admin.cookie } })).status).toBe(200);

    /** Every 2xx answer to a create: the key (if any) and the session id. */
    const acknowledged: { key: string | null; id: string }[] = [];
    const created: { id: string; providerSessionId: string }[] = [];
    const failures: string[] = [];
    let killedAt = 0;

    const createSession = async (n: number, key: string | null, attempts: number): Promise<void> => {
      const body = { provider: 'spayon', amount: 500000, currency: 'AMD', description: `soak ${key ?? `nokey-${n}`}`, return_url: 'https://shop.example/thanks', order_id: `SOAK_${n}` };
      for (let attempt = 0; attempt < attempts; attempt++) {
        const answer = await call(proxy.url, 'POST', '/v1/sessions', body, key ? { 'idempotency-key': key } : {});
        if (answer.status >= 200 && answer.status < 300) {
          acknowledged.push({ key, id: String(answer.body.id) });
          if (!created.some((session) => session.id === answer.body.id)) created.push({ id: String(answer.body.id), providerSessionId: String(answer.body.provider_session_id) });
          return;
        }
        // A kill or a concurrent request with the same key: the client retries with the same key.
        if (!key || ![0, 409, 502, 503].includes(answer.status)) {
          if (answer.status !== 0 && answer.status !== 502) failures.push(`create ${n}: ${answer.status} ${JSON.stringify(answer.body)}`);
          return;
        }
        await sleep(300);
      }
    };

    const postPaid = async (providerSessionId: string) => {
      const raw = Buffer.from(JSON.stringify({ sessionId: providerSessionId, status: 'paid', price: '5000.00', currency: 'AMD', productName: 'soak', orderId: 'soak' }));
      const target = instances[Math.floor(Math.random() * 2)].url;
      for (let attempt = 0; attempt < 10; attempt++) {
        try {
          const res = await fetch(`${target}/v1/webhooks/spayon`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signCallback(raw, CREDENTIALS.callbackSecret) }, body: raw, signal: AbortSignal.timeout(15_000) });
          if (res.ok) return;
          failures.push(`callback ${providerSessionId}: ${res.status} ${await res.text()}`);
          return;
        } catch {
          await sleep(500);
        }
      }
    };

    const operation = async (n: number) => {
      const pick = created[Math.floor(Math.random() * created.length)];
      switch (n % 8) {
        case 0:
        case 1:
          return createSession(n, null, 1);
        case 2:
          return createSession(n, `soak-key-${n}`, 20);
        case 3:
          // The same key sent twice at once, then once more later.
          await Promise.all([createSession(n, `soak-key-${n}`, 20), createSession(n, `soak-key-${n}`, 20)]);
          return createSession(n, `soak-key-${n}`, 20);
        case 4:
          if (!pick) return;
          // The provider's own callback (to the instance that created it) and ours, duplicated.
          try {
            simulator.pay(pick.providerSessionId);
          } catch {
            // not payable any more: still post the callbacks
          }
          await Promise.all([postPaid(pick.providerSessionId), postPaid(pick.providerSessionId)]);
          return;
        case 5:
          if (!pick) return;
          return void (await call(proxy.url, 'POST', `/v1/sessions/${pick.id}/cancel`, {}));
        case 6:
          if (!pick) return;
          try {
            simulator.expireNow(pick.providerSessionId);
          } catch {
            // already paid or expired at the provider
          }
          return void (await call(proxy.url, 'POST', '/v1/jobs/expire-sessions/run', {}));
        case 7: {
          const res = await fetch(`${instances[n % 2].url}${LIST}`, { headers: { cookie: admin.cookie } }).catch(() => null);
          if (res && res.status !== 200) failures.push(`admin list: ${res.status}`);
          return;
        }
      }
    };

    const started = Date.now();
    let next = 0;
    const killAndRestart = (async () => {
      await sleep(15_000);
      const victim = instances[1];
      victim.child.kill('SIGKILL');
      await victim.exited;
      killedAt = Date.now();
      const port = new URL(victim.url).port;
      const restarted = await startBuiltServer(env('soak-b2', { PORT: port }), instances[0].database);
      servers.push(restarted);
      instances = [instances[0], restarted];
    })();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < LOAD_OPERATIONS && Date.now() - started < LOAD_MS) {
          const n = next++;
          await operation(n);
          await sleep(100);
        }
      }),
    );
    const loadEnded = Date.now();
    await killAndRestart;
    // The kill happened in the middle of the load, not after it.
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(loadEnded);
    expect(failures).toEqual([]);
    expect(created.length).toBeGreaterThan(20);

    // The admin cookie from before the kill works on the restarted instance and the other one.
    for (const server of instances) expect((await fetch(`${server.url}${LIST}`, { headers: { cookie: admin.cookie } })).status).toBe(200);

    // Let the jobs drain: every delivery delivered.
    await waitFor(async () => Number((await db.query(`select count(*) as n from deliveries where state <> 'delivered'`)).rows[0].n) === 0, 45_000, 500);

    // Every acknowledged session exists exactly once; a key never made a second session.
    const sessions = (await db.query<{ id: string; status: string; provider_session_id: string | null; description: string }>(`select id, status, provider_session_id, description from sessions`)).rows;
    const byId = new Map(sessions.map((session) => [session.id, session]));
    for (const { id } of acknowledged) expect(byId.has(id)).toBe(true);
    const keys = new Set(acknowledged.flatMap(({ key }) => (key ? [key] : [])));
    for (const key of keys) {
      expect(new Set(acknowledged.filter((ack) => ack.key === key).map((ack) => ack.id)).size).toBe(1);
      expect(sessions.filter((session) => session.description === `soak ${key}`)).toHaveLength(1);
    }
    // No session left open without a provider session.
    expect(sessions.filter((session) => session.status === 'open' && !session.provider_session_id)).toEqual([]);
    expect(sessions.some((session) => session.status === 'succeeded')).toBe(true);
    expect(sessions.some((session) => session.status === 'cancelled' || session.status === 'expired')).toBe(true);

    // Every status change: exactly one session event and one outbound event.
    const changes = (await db.query<{ session_id: string; to_status: string; n: string }>(
      `select session_id, to_status, count(*) as n from session_events where from_status is not null group by session_id, to_status`,
    )).rows;
    expect(changes.filter((change) => Number(change.n) !== 1)).toEqual([]);
    const events = (await db.query<{ id: string; session_id: string; type: string }>(`select id, session_id, type from events where type like 'session.%'`)).rows;
    const eventCount = new Map<string, number>();
    for (const event of events) eventCount.set(`${event.session_id} ${event.type}`, (eventCount.get(`${event.session_id} ${event.type}`) ?? 0) + 1);
    for (const change of changes) expect([`${change.session_id} ${change.to_status}`, eventCount.get(`${change.session_id} session.${change.to_status}`)]).toEqual([`${change.session_id} ${change.to_status}`, 1]);
    expect(events).toHaveLength(changes.length);
    for (const session of sessions) {
      if (session.status !== 'open') expect(changes.some((change) => change.session_id === session.id && change.to_status === session.status)).toBe(true);
    }

    // Every outbound event reached the receiver; no event was delivered twice at once.
    await waitFor(async () => deliveries.length >= events.length, 10_000, 100);
    const received = new Map<string, { start: number; end: number }[]>();
    for (const delivery of deliveries) received.set(delivery.eventId, [...(received.get(delivery.eventId) ?? []), delivery]);
    const allEvents = (await db.query<{ id: string }>(`select id from events`)).rows;
    expect(allEvents.filter((event) => !received.has(event.id))).toEqual([]);
    expect([...received.keys()].filter((id) => !allEvents.some((event) => event.id === id))).toEqual([]);
    const overlapping: string[] = [];
    for (const [id, times] of received) {
      const sorted = [...times].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) overlapping.push(id);
    }
    expect(overlapping).toEqual([]);
    // Duplicates are allowed only around the kill (a delivery in flight when its instance died).
    expect(deliveries.length - received.size).toBeLessThanOrEqual(IN_FLIGHT * 4);
  });
});
