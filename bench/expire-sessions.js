/**
 * `npm run bench:expire`: the expire-sessions job on N stale sessions (BENCH_EXPIRE_SESSIONS,
 * default 100,000) on a fresh PostgreSQL database, three ways, each on the same freshly seeded
 * rows, measured in the same run:
 *
 *   1. the job asking the provider first (a provider answering "pending" instantly),
 *   2. the job with provider checks off (EXPIRY_CHECK_PROVIDER=false),
 *   3. the floor the job is compared with: the same writes as set-based raw SQL, one statement —
 *      each session expired, its session event, its outbound event (a JSON payload of the
 *      session row) and the event's delivery to the one webhook endpoint.
 *
 * Every run is checked to have written exactly one session event, one outbound event and one
 * delivery per session. With provider checks off the job writes set-based too (one batch of
 * 1,000 a transaction); asking the provider, it claims, asks and writes per session.
 * Environment: BENCH_EXPIRE_SESSIONS, DATABASE_URL (the PostgreSQL server to create the
 * database on; default postgres://postgres@127.0.0.1:5432/postgres).
 */
'use strict';

const { join } = require('node:path');
const { Client } = require('pg');
const { ROOT, buildIfStale, createDatabase } = require('./support/setup');

const DIST = join(ROOT, 'dist');
const COUNT = Number(process.env.BENCH_EXPIRE_SESSIONS || 100000);
const PROVIDER = 'bench_provider';

async function main() {
  buildIfStale();
  const { createApp } = require(join(DIST, 'src', 'app.factory.js'));
  const { PROVIDER_REGISTRY } = require(join(DIST, 'libs', 'payments', 'src'));
  const { ExpireSessionsJob } = require(join(DIST, 'src', 'jobs', 'expire-sessions.job.js'));

  const database = await createDatabase();
  const client = new Client({ connectionString: database.url });
  const apps = [];
  try {
    const start = async (env) => {
      const paymux = await createApp({
        env: { NODE_ENV: 'test', DATABASE_URL: database.url, LOG_LEVEL: 'error', JOBS_ENABLED: 'false', ADMIN_ENABLED: 'false', ...env },
        listen: false,
      });
      apps.push(paymux);
      paymux.app.get(PROVIDER_REGISTRY).register(pendingProvider());
      return paymux;
    };
    const checking = await start({});
    const unchecked = await start({ EXPIRY_CHECK_PROVIDER: 'false' });
    await client.connect();
    console.log(`paymux bench: expire ${COUNT.toLocaleString('en')} stale sessions, PostgreSQL, node ${process.version}\n`);

    const rows = [];
    for (const [name, paymux] of [['expire-sessions job, provider answers "pending"', checking], ['expire-sessions job, provider checks off', unchecked]]) {
      await seed(client);
      const job = paymux.app.get(ExpireSessionsJob);
      const started = process.hrtime.bigint();
      let expired = 0;
      let runs = 0;
      for (;;) {
        const result = await job.run({ signal: new AbortController().signal, instanceId: 'bench' });
        runs += 1;
        expired += result.changed;
        if (result.examined === 0) break;
      }
      const seconds = elapsed(started);
      await expectExpired(client, expired);
      rows.push({ name, seconds, detail: `${runs - 1} runs` });
    }

    await seed(client);
    const started = process.hrtime.bigint();
    const written = await client.query(FLOOR_SQL);
    rows.push({ name: 'set-based raw SQL, the same writes (floor)', seconds: elapsed(started), detail: '1 statement' });
    await expectExpired(client, written.rowCount);

    const floor = rows[rows.length - 1].seconds;
    printTable(rows.map((row) => ({ ...row, rate: COUNT / row.seconds, ratio: row.seconds / floor })));
  } finally {
    for (const paymux of apps.reverse()) await paymux.close();
    await client.end().catch(() => undefined);
    await database.drop();
  }
}

/**
 * What the job writes for each stale session, as one statement: the status change (the old
 * status read under the row lock), the session event, the outbound event (the envelope around
 * the session row) and its delivery to every live webhook endpoint.
 */
const FLOOR_SQL = `
  with expired as (
    update sessions s set status = 'expired', completed_at = now(), updated_at = now()
      from (select id, status from sessions
             where status in ('open', 'processing') and expires_at < now() - interval '60 seconds' for update) old
     where s.id = old.id
    returning s.*, old.status as from_status, 'evt_' || md5(random()::text || s.id) as event_id),
  session_events_written as (
    insert into session_events (session_id, from_status, to_status, source, late, provider_status, note, created_at)
    select id, from_status, 'expired', 'scheduler', false, null, 'expired without asking the provider (EXPIRY_CHECK_PROVIDER is off)', now()
      from expired),
  events_written as (
    insert into events (id, type, session_id, customer_id, payload, created_at)
    select event_id, 'session.expired', id, customer_id,
           json_build_object('id', event_id, 'object', 'event', 'type', 'session.expired', 'created_at', now(),
                             'data', json_build_object('object', to_jsonb(expired) - 'from_status' - 'event_id'))::text, now()
      from expired
    returning id)
  insert into deliveries (id, event_id, endpoint_id, url, state, attempts, next_attempt_at, created_at)
  select 'dlv_' || md5(random()::text || e.id), e.id, w.id, w.url, 'pending', 0, now(), now()
    from events_written e cross join webhook_endpoints w where w.deleted_at is null`;

/** A provider that answers "pending" at once: the cost measured is paymux's own. */
function pendingProvider() {
  return {
    name: PROVIDER,
    capabilities: { currencies: ['USD'], locales: ['en'], paymentMethods: ['card'], modes: ['payment'], expiry: { minSeconds: 60, maxSeconds: 86400, defaultSeconds: 900 }, cancel: false },
    validateRequest() {},
    createSession: () => Promise.reject(new Error('not used')),
    fetchStatus: async (ref) => ({ providerSessionId: ref.providerSessionId, status: 'open', providerStatus: 'pending' }),
    parseWebhook: () => { throw new Error('not used'); },
  };
}

/** COUNT open sessions that expired an hour ago and one webhook endpoint taking every event, nothing else. */
async function seed(client) {
  await client.query('truncate sessions, session_events, events, deliveries, webhook_endpoints');
  await client.query(
    `insert into webhook_endpoints (id, url, enabled_events, description, secret, created_at)
     values ('we_bench', 'https://merchant.example/hooks', '[]', null, 'whsec_bench', now())`,
  );
  await client.query(
    `insert into sessions (id, provider, provider_session_id, mode, status, late, amount, currency, return_url, expires_at,
                           metadata, expiry_check_failures, created_at, updated_at)
     select 'sess_bench' || lpad(i::text, 10, '0'), $1, 'pending_' || i, 'payment', 'open', false, 1000, 'USD',
            'https://merchant.example/return', now() - interval '1 hour', '{}', 0, now() - interval '2 hours', now() - interval '2 hours'
       from generate_series(1, $2::int) as i`,
    [PROVIDER, COUNT],
  );
  await client.query('vacuum analyze sessions');
}

/** Every session expired, with exactly one session event, one outbound event and one delivery. */
async function expectExpired(client, reported) {
  const { rows } = await client.query(
    `select (select count(*) from sessions where status = 'expired')::int as sessions,
            (select count(distinct session_id) from session_events where to_status = 'expired')::int as session_events,
            (select count(*) from session_events)::int as all_session_events,
            (select count(distinct session_id) from events where type = 'session.expired')::int as events,
            (select count(*) from events)::int as all_events,
            (select count(*) from deliveries)::int as deliveries`,
  );
  const found = rows[0];
  if (reported !== COUNT || Object.values(found).some((n) => n !== COUNT)) {
    throw new Error(`expected ${COUNT} of each, found ${JSON.stringify(found)} (reported ${reported})`);
  }
}

function elapsed(started) {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function printTable(rows) {
  const header = ['scenario', 'time (s)', 'sessions/s', '× floor', ''];
  const body = rows.map((row) => [row.name, row.seconds.toFixed(2), Math.round(row.rate).toLocaleString('en'), row.ratio.toFixed(1), row.detail]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((line) => String(line[i]).length)));
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...body]) {
    console.log(line.map((cell, i) => (i === 0 || i === 4 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  '));
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
