import request from 'supertest';
import { startLoggedTestApp, TEST_API_KEY, TestApp } from '../support/app';
import { BuiltServer, startBuiltServer } from '../support/built-server';
import type { StdoutCapture } from '../support/stdout';
import { waitFor } from '../support/wait';

/** The log a running paymux writes, as an operator reads it: one JSON line per answered request. */
describe('request log lines (LOG_LEVEL=info)', () => {
  let app: TestApp;
  let log: StdoutCapture;
  beforeAll(async () => {
    ({ app, log } = await startLoggedTestApp({ LOG_LEVEL: 'info' }));
  });
  afterAll(async () => {
    await app?.close();
    log.stop();
  });

  const lines = () =>
    log
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const answerLines = (requestId: string) => lines().filter((line) => line.request_id === requestId && String(line.msg).startsWith('request '));

  it('logs each answered request once under the X-Request-Id it answered with, without its API key', async () => {
    const product = await app.api().post('/v1/products', { name: 'Logged', amount: 500, currency: 'EUR' }).set('X-Request-Id', 'log-create-1').expect(201);
    await app.api().get(`/v1/products/${product.body.id}`).set('X-Request-Id', 'log-read-1').expect(200);
    await app.api().get('/v1/products/999999').set('X-Request-Id', 'log-missing-1').expect(404);
    const unauthenticated = await request(app.url).get('/v1/products').expect(401);

    await waitFor(async () => answerLines('log-missing-1').length === 1);
    expect(answerLines('log-create-1')).toEqual([
      expect.objectContaining({ level: 30, msg: 'request completed', req: { method: 'POST', url: '/v1/products' }, res: { statusCode: 201 }, responseTime: expect.any(Number) }),
    ]);
    expect(answerLines('log-read-1')).toEqual([expect.objectContaining({ req: { method: 'GET', url: `/v1/products/${product.body.id}` }, res: { statusCode: 200 } })]);
    expect(answerLines('log-missing-1')).toEqual([expect.objectContaining({ res: { statusCode: 404 } })]);
    // A generated id is logged as it was answered.
    const generated = String(unauthenticated.headers['x-request-id']);
    await waitFor(async () => answerLines(generated).length === 1);
    expect(answerLines(generated)[0]).toMatchObject({ res: { statusCode: 401 } });
    expect(log.text()).not.toContain(TEST_API_KEY);
  });

  it('does not log probes and scrapes', async () => {
    const health = await request(app.url).get('/health').expect(200);
    const ready = await request(app.url).get('/health/ready').expect(200);
    await request(app.url).get('/metrics').set('X-Request-Id', 'log-metrics-1');
    await app.api().get('/v1/products/999998').set('X-Request-Id', 'log-after-probes').expect(404);
    await waitFor(async () => answerLines('log-after-probes').length === 1);
    expect(answerLines(String(health.headers['x-request-id']))).toEqual([]);
    expect(answerLines(String(ready.headers['x-request-id']))).toEqual([]);
    expect(answerLines('log-metrics-1')).toEqual([]);
  });
});

describe('the start-up screen (npm start, LOG_LEVEL=info)', () => {
  let server: BuiltServer;
  beforeAll(async () => (server = await startBuiltServer({ LOG_LEVEL: 'info', ADMIN_ENABLED: 'false', NODE_ENV: 'development' })), 120_000);
  afterAll(() => server?.stop());

  it('ends with where to go: no start-up log line comes after it', async () => {
    await waitFor(async () => server.output().includes('paymux is running'));
    await request(server.url).get('/health').expect(200);
    const output = server.output();
    const after = output.slice(output.indexOf('paymux is running')).split('\n').filter((line) => line.startsWith('{'));
    expect(after).toEqual([]);
    // The lines before it are the start-up's own.
    expect(output.slice(0, output.indexOf('paymux is running'))).toContain('"msg":"Nest application successfully started"');
  }, 60_000);
});
