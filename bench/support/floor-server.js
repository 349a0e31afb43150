'use strict';

/**
 * The floor each HTTP scenario is measured against: the same routes, doing the same reads and
 * writes in the same transactions on the same database, with the same provider call to the same
 * Spayon simulator process — but with `node:http`, plain `pg` and hand-written checks: no Nest,
 * no ORM, no pipes. What paymux costs above this is what its framework and ORM cost.
 *
 * Started by bench/run.js with DATABASE_URL (already migrated by paymux), API_KEY, and the
 * SPAYON_* settings; prints its URL and runs until killed.
 */
const { createHash, createHmac, randomBytes, timingSafeEqual } = require('node:crypto');
const { createServer } = require('node:http');
const { Pool } = require('pg');

// The same pool size as paymux's (src/database/orm-config.ts) and the same API key cache.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const API_KEY_CACHE_MS = 5_000;
const keys = new Map();
const spayon = { baseUrl: process.env.SPAYON_BASE_URL, token: null };

async function authenticated(req) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return false;
  const hash = createHash('sha256').update(header.slice(7)).digest('hex');
  const cached = keys.get(hash);
  if (cached && cached > Date.now()) return true;
  const { rowCount } = await pool.query('select id from api_keys where hash = $1 and revoked_at is null', [hash]);
  if (rowCount) keys.set(hash, Date.now() + API_KEY_CACHE_MS);
  return rowCount > 0;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function inTransaction(work) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

const renderProduct = (row) => ({
  id: row.id, object: 'product', name: row.name, description: row.description, amount: Number(row.amount), currency: row.currency,
  active: row.active, spayon_product_id: typeof row.provider_products.spayon === 'number' ? row.provider_products.spayon : null, metadata: row.metadata,
  created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString(),
});

const renderSession = (row) => ({
  id: row.id, object: 'session', provider: row.provider, provider_session_id: row.provider_session_id, mode: row.mode, status: row.status,
  amount: Number(row.amount), currency: row.currency, description: row.description, order_id: row.order_id, redirect_url: row.redirect_url,
  return_url: row.return_url, expires_at: row.expires_at.toISOString(), created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(), completed_at: row.completed_at?.toISOString() ?? null, failure: row.failure, metadata: row.metadata,
});

async function getProduct(req, res, id) {
  const { rows } = await pool.query('select * from products where id = $1', [Number(id)]);
  if (rows.length === 0) return send(res, 404, { error: { type: 'not_found_error', code: 'resource_missing' } });
  send(res, 200, renderProduct(rows[0]));
}

async function createProduct(req, res) {
  const input = JSON.parse(await readBody(req));
  if (typeof input.name !== 'string' || !Number.isSafeInteger(input.amount) || typeof input.currency !== 'string') {
    return send(res, 400, { error: { type: 'invalid_request_error' } });
  }
  const now = new Date();
  const { rows } = await inTransaction((client) => client.query(
    'insert into products (name, description, amount, currency, active, provider_products, metadata, created_at, updated_at) values ($1, $2, $3, $4, true, \'{}\', $5, $6, $6) returning *',
    [input.name, input.description ?? null, input.amount, input.currency.toUpperCase(), JSON.stringify(input.metadata ?? {}), now],
  ));
  send(res, 201, renderProduct(rows[0]));
}

async function spayonToken() {
  if (spayon.token) return spayon.token;
  const answer = await fetch(`${spayon.baseUrl}/api/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: process.env.SPAYON_CLIENT_ID, client_secret: process.env.SPAYON_CLIENT_SECRET }),
  });
  spayon.token = (await answer.json()).access_token;
  return spayon.token;
}

async function createSession(req, res) {
  const input = JSON.parse(await readBody(req));
  if (!Number.isSafeInteger(input.amount) || typeof input.currency !== 'string' || typeof input.return_url !== 'string') {
    return send(res, 400, { error: { type: 'invalid_request_error' } });
  }
  const id = `sess_${randomBytes(13).toString('hex')}`;
  const now = new Date();
  await inTransaction(async (client) => {
    await client.query(
      `insert into sessions (id, provider, mode, status, late, amount, currency, description, order_id, return_url, expires_at, metadata, created_at, updated_at, expiry_check_failures)
       values ($1, 'spayon', 'payment', 'open', false, $2, $3, $4, $5, $6, $7, '{}', $8, $8, 0)`,
      [id, input.amount, input.currency, input.description ?? null, input.order_id ?? null, input.return_url, new Date(now.getTime() + 900_000), now],
    );
    await client.query(`insert into session_events (session_id, from_status, to_status, source, late, created_at) values ($1, null, 'open', 'api', false, $2)`, [id, now]);
  });
  const answer = await fetch(`${spayon.baseUrl}/api/product/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await spayonToken()}` },
    body: JSON.stringify({
      product_name: input.description, price: input.amount / 100, currency: input.currency,
      callback_url: `${process.env.PUBLIC_URL}/v1/webhooks/spayon`, return_url: input.return_url, order_id: input.order_id,
    }),
  });
  const created = await answer.json();
  const { rows } = await pool.query('update sessions set provider_session_id = $2, redirect_url = $3, updated_at = $4 where id = $1 returning *', [id, created.session_id, created.session_url, new Date()]);
  send(res, 201, renderSession(rows[0]));
}

async function spayonCallback(req, res) {
  const raw = await readBody(req);
  const expected = createHmac('sha256', process.env.SPAYON_CALLBACK_SECRET).update(raw).digest();
  const given = Buffer.from(String(req.headers['x-signature'] ?? ''), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return send(res, 401, { error: { type: 'authentication_error' } });
  const body = JSON.parse(raw);
  const dedupeKey = `${body.sessionId}:${body.status}`;
  // A resend is answered before any transaction (a racing one meets the unique index on insert).
  const seen = await pool.query('select 1 from inbound_webhooks where provider = $1 and dedupe_key = $2 limit 1', ['spayon', dedupeKey]);
  if (seen.rows.length > 0) return send(res, 200, { received: true, outcome: 'duplicate' });
  const outcome = await inTransaction(async (client) => {
    const found = await client.query('select * from sessions where provider = $1 and provider_session_id = $2 for update', ['spayon', body.sessionId]);
    const session = found.rows[0];
    const now = new Date();
    let result = 'unchanged';
    if (session && session.status === 'open' && body.status === 'paid') {
      const { rows } = await client.query(
        `update sessions set status = 'succeeded', provider_status = $2, completed_at = $3, updated_at = $3, last_provider_update_at = $3 where id = $1 returning *`,
        [session.id, body.status, now],
      );
      await client.query(`insert into session_events (session_id, from_status, to_status, source, late, provider_status, created_at) values ($1, 'open', 'succeeded', 'webhook', false, $2, $3)`, [session.id, body.status, now]);
      const eventId = `evt_${randomBytes(13).toString('hex')}`;
      const payload = JSON.stringify({ id: eventId, object: 'event', type: 'session.succeeded', created_at: now.toISOString(), data: { object: renderSession(rows[0]) } });
      await client.query('insert into events (id, type, session_id, customer_id, payload, created_at) values ($1, $2, $3, null, $4, $5)', [eventId, 'session.succeeded', session.id, payload, now]);
      await client.query('select id, url from webhook_endpoints where deleted_at is null');
      result = 'applied';
    }
    await client.query(
      'insert into inbound_webhooks (provider, dedupe_key, event_type, session_id, outcome, headers, raw_body, received_at) values ($1, $2, $3, $4, $5, $6, $7, $8)',
      ['spayon', dedupeKey, body.status, session?.id ?? null, result, JSON.stringify({ 'content-type': req.headers['content-type'] }), raw.toString('utf8'), now],
    );
    return result;
  });
  send(res, 200, { received: true, outcome });
}

const server = createServer((req, res) => {
  const path = req.url.split('?')[0];
  const route = async () => {
    if (req.method === 'POST' && path === '/v1/webhooks/spayon') return spayonCallback(req, res);
    if (!(await authenticated(req))) return send(res, 401, { error: { type: 'authentication_error' } });
    const product = /^\/v1\/products\/(\d+)$/.exec(path);
    if (req.method === 'GET' && product) return getProduct(req, res, product[1]);
    if (req.method === 'POST' && path === '/v1/products') return createProduct(req, res);
    if (req.method === 'POST' && path === '/v1/sessions') return createSession(req, res);
    send(res, 404, { error: { type: 'not_found_error' } });
  };
  route().catch((error) => {
    process.stderr.write(`floor: ${error.stack}\n`);
    if (!res.headersSent) send(res, 500, { error: { type: 'api_error' } });
  });
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
