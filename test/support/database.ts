import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/core';
import { Client } from 'pg';

export interface TestDatabase {
  /** Env entries that point the app at this database. */
  env: Record<string, string>;
  kind: 'postgresql' | 'sqlite';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one suite: on the PostgreSQL server of DATABASE_URL when it is set
 * (CI runs the whole suite once that way), else a new SQLite file.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'paymux-test-'));
    return { kind: 'sqlite', env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `paymux_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgresql',
    env: { DATABASE_URL: url.toString() },
    drop: () => withAdmin(serverUrl, (client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const usingPostgres = (): boolean => !!process.env.DATABASE_URL;

/**
 * Every row of every table of the app's database as JSON text, one line a row (prefixed with its
 * table), for tests that prove something was never stored anywhere.
 */
export async function dumpAllTables(em: EntityManager): Promise<string> {
  const connection = em.getConnection();
  const postgres = em.getPlatform().constructor.name.startsWith('PostgreSql');
  const tables = ((await connection.execute(
    postgres ? `select tablename as name from pg_tables where schemaname = current_schema()` : `select name from sqlite_master where type = 'table'`,
  )) as { name: string }[]).map((row) => row.name);
  const lines: string[] = [];
  for (const table of tables) {
    const rows = (await connection.execute(`select * from "${table}"`)) as Record<string, unknown>[];
    for (const row of rows) lines.push(`${table}: ${JSON.stringify(row)}`);
  }
  return lines.join('\n');
}
