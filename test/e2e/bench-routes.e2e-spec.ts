import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';

describe('benchmark baseline routes', () => {
  let app: TestApp;
  afterEach(() => app.close());

  it('are not mounted by default', async () => {
    app = await startTestApp();
    await request(app.url).get('/bench/noop').expect(404);
  });

  it('answer without an API key and without work when BENCH_ROUTES=true', async () => {
    app = await startTestApp({ BENCH_ROUTES: 'true' });
    await request(app.url).get('/bench/noop').expect(200, { ok: true });
    await request(app.url).post('/bench/noop').send({ name: 'x', amount: 1, currency: 'USD' }).expect(200, { ok: true });
  });
});
