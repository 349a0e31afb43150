import request from 'supertest';
import { apiError, startTestApp, TEST_API_KEY, TestApp } from '../support/app';

describe('HTTP conventions of API.md', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.close());

  describe('authentication', () => {
    it.each([
      ['no header', undefined],
      ['an unknown key', 'Bearer pmx_unknown_key_unknown_key_unknown'],
      ['a wrong scheme', `Basic ${TEST_API_KEY}`],
      ['an empty bearer', 'Bearer '],
    ])('answers 401 in the error shape for %s', async (_, header) => {
      const test = request(app.url).get('/v1/products');
      if (header !== undefined) test.set('Authorization', header);
      const res = await test.expect(401);
      expect(res.body).toEqual(apiError('authentication_error'));
    });

    it('accepts a valid key, and refuses it once revoked', async () => {
      const { ApiKeyService } = await import('../../src/api-keys/api-key.service');
      const keys = app.paymux.app.get(ApiKeyService);
      const { apiKey, key } = await keys.create('temporary');
      await request(app.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(200);
      await keys.revoke(apiKey.id);
      await request(app.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(401);
    });

    it('records when a key was last used, to the minute, without a write per request', async () => {
      const { ApiKeyService } = await import('../../src/api-keys/api-key.service');
      const { ApiKey } = await import('../../src/api-keys/api-key.entity');
      const { apiKey, key } = await app.paymux.app.get(ApiKeyService).create('used');
      expect((await app.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt).toBeNull();
      const before = Date.now();
      await request(app.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(200);
      const first = (await app.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt!;
      expect(first.getTime()).toBeGreaterThanOrEqual(before - 1000);
      await request(app.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(200);
      expect((await app.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt).toEqual(first);
    });

    it('leaves health and metrics open', async () => {
      await request(app.url).get('/health').expect(200, { status: 'ok' });
      await request(app.url).get('/health/ready').expect(200);
      await request(app.url).get('/metrics').expect(200);
    });
  });

  describe('request ids', () => {
    it('echoes a sent X-Request-Id and generates one otherwise', async () => {
      const sent = await app.api().get('/v1/products').set('X-Request-Id', 'req-abc.123').expect(200);
      expect(sent.headers['x-request-id']).toBe('req-abc.123');
      const generated = await app.api().get('/v1/products').expect(200);
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const failed = await request(app.url).get('/v1/products').expect(401);
      expect(failed.headers['x-request-id']).toBeDefined();
    });

    it('replaces an unreasonable request id', async () => {
      const res = await app.api().get('/v1/products').set('X-Request-Id', 'bad id with spaces').expect(200);
      expect(res.headers['x-request-id']).not.toBe('bad id with spaces');
    });
  });

  describe('bodies', () => {
    it('answers malformed JSON with a 400', async () => {
      const res = await app.api().post('/v1/products').set('Content-Type', 'application/json').send('{"name": "x",').expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error'));
    });

    it('answers a body over 100 kB with a 413', async () => {
      const res = await app.api().post('/v1/products', { name: 'x'.repeat(110 * 1024) }).expect(413);
      expect(res.body).toEqual(apiError('invalid_request_error', { code: 'body_too_large' }));
    });

    it('answers a JSON array body with a 400, not a 500', async () => {
      const res = await app.api().post('/v1/products').set('Content-Type', 'application/json').send('[1,2]').expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error'));
    });

    it('answers an unknown route with a 404 in the error shape', async () => {
      expect((await app.api().get('/v1/nothing-here').expect(404)).body).toEqual(apiError('not_found_error'));
    });

    it('never leaks a stack trace or SQL', async () => {
      const res = await app.api().post('/v1/products').set('Content-Type', 'application/json').send('{"__proto__": {"x": 1}}').expect(400);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+|select |insert /i);
    });
  });

  describe('metrics', () => {
    it('counts requests by route and status', async () => {
      await app.api().get('/v1/products').expect(200);
      const metrics = await request(app.url).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/paymux_http_requests_total\{method="GET",route="\/v1\/products",status="200"\} \d+/);
      expect(metrics.text).toMatch(/paymux_http_request_duration_seconds_bucket/);
      expect(metrics.text).toMatch(/paymux_process_cpu_seconds_total/);
    });
  });
});
