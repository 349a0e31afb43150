'use strict';

/** What every bench needs first: an up-to-date build and a throw-away PostgreSQL database. */
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { Client } = require('pg');

const ROOT = join(__dirname, '..', '..');
/** The server new databases are created on (DATABASE_URL's server, or the local default). */
const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Build when dist/ is missing or older than a source file (a fresh clone has no dist/). */
function buildIfStale() {
  const main = join(ROOT, 'dist', 'src', 'main.js');
  const built = existsSync(main) ? statSync(main).mtimeMs : 0;
  const newest = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'libs')));
  if (built >= newest) return;
  console.log('building (nest build)…');
  const build = spawnSync(join(ROOT, 'node_modules', '.bin', 'nest'), ['build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('nest build failed');
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
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
