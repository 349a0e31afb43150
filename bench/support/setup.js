'use strict';

/** What every bench needs first: an up-to-date build and a throw-away PostgreSQL database. */
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');
const { Client } = require('pg');

const ROOT = join(__dirname, '..', '..');
/** The server new databases are created on (DATABASE_URL's server, or the local default). */
const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Build when the output is missing or was built from other sources (the same check as npm start). */
function buildIfStale() {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}

/** A fresh database on SERVER_URL's server: `{ url, drop() }`. */
async function createDatabase() {
  const name = `paymux_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withServer((client) => client.query(`create database "${name}"`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withServer((client) => client.query(`drop database if exists "${name}" with (force)`)) };
}

async function withServer(work) {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

module.exports = { ROOT, buildIfStale, createDatabase };
