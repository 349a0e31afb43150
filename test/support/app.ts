import { createServer } from 'node:net';
import { EntityManager } from '@mikro-orm/core';
import request from 'supertest';
import { createApp, PaymuxApp } from '../../src/app.factory';
import { createTestDatabase, TestDatabase } from './database';
import { captureStdout, StdoutCapture } from './stdout';

export const TEST_API_KEY = 'pmx_test_key_0123456789abcdefghijklmnop';

export interface TestApp {
  paymux: PaymuxApp;
  url: string;
  database: TestDatabase;
  /** A forked entity manager for looking straight into the database. */
  em(): EntityManager;
  /** supertest against the real listening server, with the API key set. */
  api(): ApiClient;
  close(): Promise<void>;
}

export interface ApiClient {
  get(path: string): request.Test;
  post(path: string, body?: object | string): request.Test;
  patch(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Boots the real application on a fresh database and a real port. Only the env given here
 * reaches the app (plus the database), so a developer's shell cannot change a test's outcome.
 */
export async function startTestApp(env: Record<string, string> = {}, existing?: TestDatabase): Promise<TestApp> {
  const database = existing ?? (await createTestDatabase());
  const port = await freePort();
  const paymux = await createApp({
    env: {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      BOOTSTRAP_API_KEY: TEST_API_KEY,
      JOBS_ENABLED: 'false',
      ADMIN_ENABLED: 'false',
      ...database.env,
      ...env,
    },
  });
  const url = paymux.url;
  const authed = (test: request.Test) => test.set('Authorization', `Bearer ${TEST_API_KEY}`);
  return {
    paymux,
    url,
    database,
    em: () => paymux.app.get(EntityManager).fork(),
    api: () => ({
      get: (path) => authed(request(url).get(path)),
      post: (path, body) => {
        const test = authed(request(url).post(path));
        return body === undefined ? test : test.send(body);
      },
      patch: (path, body) => authed(request(url).patch(path)).send(body ?? {}),
      delete: (path) => authed(request(url).delete(path)),
    }),
    close: async () => {
      await paymux.close();
      if (!existing) await database.drop();
    },
  };
}

/** The error shape of API.md, for `expect(res.body).toEqual(apiError(...))`. */
export function apiError(type: string, fields: { code?: unknown; param?: unknown; message?: unknown } = {}) {
  return {
    error: expect.objectContaining({
      type,
      message: fields.message ?? expect.any(String),
      ...(fields.code !== undefined ? { code: fields.code } : {}),
      ...(fields.param !== undefined ? { param: fields.param } : {}),
    }),
  };
}

/**
 * startTestApp with standard output recorded from before the boot (see captureStdout), for tests
 * that read the log; stop the capture after closing the app.
 */
export async function startLoggedTestApp(env: Record<string, string>): Promise<{ app: TestApp; log: StdoutCapture }> {
  const log = captureStdout();
  try {
    return { app: await startTestApp(env), log };
  } catch (error) {
    log.stop();
    throw error;
  }
}
