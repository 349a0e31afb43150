/**
 * `npm run bench`: the real server (dist/src/main.js) on a fresh PostgreSQL database, measured
 * with autocannon. Every scenario is compared with a no-op route of the same method measured in
 * the same run, so the table shows what the work costs rather than what this machine can do.
 *
 * A scenario is one file in bench/scenarios/ (run in file-name order) exporting
 *   { name, baseline: 'GET' | 'POST', async prepare({ url, api }) => request }
 * where `request` holds autocannon request options ({ method, path, headers, body } or
 * { requests: [...] } for per-request bodies, and `amount` / `warmupAmount` to measure a fixed
 * number of requests instead of BENCH_SECONDS); the API key header is added unless
 * `public: true`. `api.get/post/patch/delete(path, body)` call the API with the key and
 * resolve to the parsed JSON (they throw on a non-2xx answer). An optional
 * `teardown(context)` runs after the measurement, and an optional `async serverEnv()` returns
 * environment entries the server needs for the scenario (e.g. provider credentials).
 * `versus: '<another scenario's name>'` prints, under the table, this scenario's rate and p50
 * against that one's from the same run (e.g. what routing adds to a session creation).
 * `floor: true` also measures the same request, prepared afresh, against the floor server
 * (bench/support/floor-server.js: the same reads and writes in the same transactions with
 * plain `pg` and `node:http`), and the row shows paymux's rate as a share of the floor's.
 *
 * A scenario that measures something other than HTTP requests (e.g. background work) exports
 *   { name, async measure({ url, api, databaseUrl, root }) => { rate, p50, p99, failures } }
 * instead of `baseline` and `prepare`; its row shows its own rate and no no-op comparison.
 *
 * Environment: BENCH_SECONDS (8), BENCH_WARMUP_SECONDS (1), BENCH_CONNECTIONS (50),
 * BENCH_ONLY (a part of the scenario file names to run), BENCH_CPU_PROFILE_DIR (write V8 CPU
 * profiles of the paymux server and of the floor server there, `paymux.cpuprofile` and
 * `floor.cpuprofile`, with `node --cpu-prof`), DATABASE_URL (the PostgreSQL server to
 * create the database on; default postgres://postgres@127.0.0.1:5432/postgres).
 */
'use strict';

const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readdirSync, readFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { performance } = require('node:perf_hooks');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { ROOT, buildIfStale, createDatabase } = require('./support/setup');

const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const SECONDS = positiveInteger('BENCH_SECONDS', 8);
const WARMUP_SECONDS = positiveInteger('BENCH_WARMUP_SECONDS', 1, true);
const CONNECTIONS = positiveInteger('BENCH_CONNECTIONS', 50);
const API_KEY = `pmx_bench_${randomBytes(24).toString('base64url')}`;

/** The no-op routes (src/bench, mounted with BENCH_ROUTES=true) every scenario is compared with. */
const BASELINES = {
  GET: { name: 'GET /bench/noop (baseline)', public: true, method: 'GET', path: '/bench/noop' },
  POST: {
    name: 'POST /bench/noop (baseline)',
    public: true,
    method: 'POST',
    path: '/bench/noop',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench product', description: 'A product', amount: 1999, currency: 'USD', metadata: { sku: 'B-1' } }),
  },
};

async function main() {
  buildIfStale();
  const scenarios = loadScenarios();
  const database = await createDatabase();
  let server;
  let floor = null;
  try {
    const scenarioEnv = {};
    for (const scenario of scenarios) if (scenario.serverEnv) Object.assign(scenarioEnv, await scenario.serverEnv());
    server = await startServer(database.url, scenarioEnv);
    // The floor starts after paymux has migrated the database, with the same provider settings.
    floor = scenarios.some((s) => s.floor) ? await startFloor(database.url, server.url, scenarioEnv) : null;
    const context = { url: server.url, api: apiClient(server.url), databaseUrl: database.url, root: ROOT };
    console.log(`paymux bench: ${server.url}, PostgreSQL, node ${process.version}, ${CONNECTIONS} connections, ` +
      `${SECONDS} s per scenario after ${WARMUP_SECONDS} s warm-up\n`);

    const rows = [];
    const baselineRates = {};
    for (const method of new Set(scenarios.filter((s) => !s.measure).map((s) => s.baseline))) {
      const result = await measure(server.url, BASELINES[method]);
      baselineRates[method] = result.rate;
      rows.push(row(BASELINES[method].name, result, 1));
    }
    for (const scenario of scenarios) {
      if (scenario.measure) {
        process.stderr.write(`measuring ${scenario.name}…\n`);
        rows.push(row(scenario.name, await scenario.measure(context), null));
        continue;
      }
      const request = await scenario.prepare(context);
      const result = await measure(server.url, { public: false, ...request, name: scenario.name });
      let floorResult = null;
      if (scenario.floor && floor) {
        const floorRequest = await scenario.prepare(context);
        floorResult = await measure(floor.url, { public: false, ...floorRequest, name: `${scenario.name} (floor)` });
      }
      rows.push({ ...row(scenario.name, result, result.rate / baselineRates[scenario.baseline], floorResult), versus: scenario.versus });
      if (scenario.teardown) await scenario.teardown(context);
    }
    server.assertAlive();
    printTable(rows);
    printVersus(rows);
    printBoot(server.boot, await bareBoot());
    const failed = rows.filter((r) => r.failures > 0 || (r.floor && r.floor.failures > 0));
    if (failed.length > 0) {
      console.error(`\nfailed requests in: ${failed.map((r) => r.name).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    if (floor) floor.child.kill('SIGTERM');
    if (server) await server.stop();
    await database.drop();
  }
}

function positiveInteger(name, fallback, allowZero = false) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`);
  return value;
}

function loadScenarios() {
  const dir = join(__dirname, 'scenarios');
  const only = process.env.BENCH_ONLY;
  const files = readdirSync(dir).filter((file) => file.endsWith('.js') && (!only || file.includes(only))).sort();
  if (files.length === 0) throw new Error(`no scenario in bench/scenarios${only ? ` matches BENCH_ONLY=${only}` : ''}`);
  return files.map((file) => {
    const scenario = require(join(dir, file));
    const custom = typeof scenario.measure === 'function';
    if (!scenario.name || (!custom && (!BASELINES[scenario.baseline] || typeof scenario.prepare !== 'function'))) {
      throw new Error(`bench/scenarios/${file} must export { name, baseline: 'GET' | 'POST', prepare } or { name, measure }`);
    }
    return scenario;
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The built server as a child process, as in production but with the no-op routes mounted. */
async function startServer(databaseUrl, scenarioEnv) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...cpuProfile('paymux'), MAIN], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DATABASE_URL: databaseUrl,
      BOOTSTRAP_API_KEY: API_KEY,
      LOG_LEVEL: 'warn',
      JOBS_ENABLED: 'false',
      ADMIN_ENABLED: 'false',
      BENCH_ROUTES: 'true',
      ...scenarioEnv,
    },
  });
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-20000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = signal || code))));
  const died = () => new Error(`the server exited (${exited}):\n${output}`);

  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited !== null) throw died();
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /health/ready within 60 s:\n${output}`);
    }
    const ok = await fetch(`${url}/health/ready`).then((res) => res.status === 200, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const bootMs = performance.now() - spawnedAt;
  return {
    url,
    boot: { ms: bootMs, rssMb: rssMb(child.pid) },
    assertAlive: () => {
      if (exited !== null) throw died();
    },
    stop: async () => {
      if (exited === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** VmRSS of a process in MB, from /proc (Linux); null elsewhere. */
function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    return kb / 1024;
  } catch {
    return null;
  }
}

/** The baseline for boot time and RSS: a bare node:http server answering 200, timed the same way. */
async function bareBoot() {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['-e', `require('node:http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  for (let i = 0; i < 3000; i++) {
    if (await fetch(`http://127.0.0.1:${port}/`).then((res) => res.status === 200, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const boot = { ms: performance.now() - spawnedAt, rssMb: rssMb(child.pid) };
  child.kill('SIGTERM');
  return boot;
}

/** Each `versus` scenario against the one it names: rate as a share, and the p50 difference. */
function printVersus(rows) {
  for (const r of rows.filter((candidate) => candidate.versus)) {
    const other = rows.find((candidate) => candidate.name === r.versus);
    if (!other) continue;
    const delta = r.p50 - other.p50;
    console.log(`\n${r.name}: ${Math.round(r.rate).toLocaleString('en-US')} req/s, ${((r.rate / other.rate) * 100).toFixed(0)} % of ` +
      `${other.name} (${Math.round(other.rate).toLocaleString('en-US')} req/s); p50 ${delta >= 0 ? '+' : ''}${delta.toFixed(1)} ms`);
  }
}

function printBoot(paymux, bare) {
  const mb = (v) => (v === null ? '—' : `${v.toFixed(1)} MB`);
  const ratio = (a, b) => (a === null || b === null ? '—' : `× ${(a / b).toFixed(1)}`);
  console.log(`\nboot to /health/ready: ${Math.round(paymux.ms)} ms (bare node:http ${Math.round(bare.ms)} ms, ${ratio(paymux.ms, bare.ms)}), ` +
    `RSS after boot: ${mb(paymux.rssMb)} (bare ${mb(bare.rssMb)}, ${ratio(paymux.rssMb, bare.rssMb)})`);
}

function apiClient(url) {
  const call = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    patch: (path, body) => call('PATCH', path, body ?? {}),
    delete: (path) => call('DELETE', path),
  };
}

/**
 * Measures `request` for BENCH_SECONDS after a warm-up of BENCH_WARMUP_SECONDS, or, when it sets
 * `amount`, for exactly that many requests after `warmupAmount` of them (for work that is used up,
 * e.g. sessions to pay, so that paymux and the floor do the same requests whatever their rates).
 */
async function measure(url, request) {
  const { name, public: isPublic, path = '/', amount, warmupAmount = 0, ...options } = request;
  const headers = { ...(options.headers || {}), ...(isPublic ? {} : { authorization: `Bearer ${API_KEY}` }) };
  const run = (limit) => autocannon({ url: url + path, connections: CONNECTIONS, ...limit, ...options, headers });
  process.stderr.write(`measuring ${name}…\n`);
  if (amount) {
    if (warmupAmount > 0) await run({ amount: warmupAmount, sampleInt: 10 });
  } else if (WARMUP_SECONDS > 0) await run({ duration: WARMUP_SECONDS });
  // autocannon notices the end of a run at its next sample: every 10 ms for a fixed number of
  // requests (its default second would round a 2.2 s run up to 3 s and understate the rate).
  const result = await run(amount ? { amount, sampleInt: 10 } : { duration: SECONDS });
  return {
    // A fixed run's rate is its requests over the time they took (its samples are not seconds).
    rate: amount ? result.requests.total / result.duration : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

function row(name, result, ratio, floor = null) {
  return { name, ...result, ratio, floor };
}

/** `node --cpu-prof` arguments when BENCH_CPU_PROFILE_DIR is set: the profile is `<name>.cpuprofile` there. */
function cpuProfile(name) {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/** The floor server (see its file) on the same database and provider, as a child process. */
async function startFloor(databaseUrl, publicUrl, scenarioEnv) {
  const child = spawn(process.execPath, [...cpuProfile('floor'), join(__dirname, 'support', 'floor-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, PUBLIC_URL: publicUrl, ...scenarioEnv },
  });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)));
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
  });
  child.removeAllListeners('exit');
  return { child, url };
}

function printTable(rows) {
  const header = ['scenario', 'rate /s', 'p50 ms', 'p99 ms', 'vs no-op', 'floor /s', 'floor p50', 'floor p99', 'vs floor', 'failed'];
  const lines = rows.map((r) => [
    r.name,
    Math.round(r.rate).toLocaleString('en-US'),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.ratio === null ? '—' : `${(r.ratio * 100).toFixed(0)} %`,
    r.floor ? Math.round(r.floor.rate).toLocaleString('en-US') : '—',
    r.floor ? r.floor.p50.toFixed(1) : '—',
    r.floor ? r.floor.p99.toFixed(1) : '—',
    r.floor ? `${((r.rate / r.floor.rate) * 100).toFixed(0)} %` : '—',
    String(r.failures + (r.floor ? r.floor.failures : 0)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}

main().catch((error) => {
  console.error(`bench: ${error.stack || error.message}`);
  process.exitCode = 1;
});
