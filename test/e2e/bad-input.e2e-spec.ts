import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { apiError } from '../support/app';
import { BuiltServer, startBuiltServer } from '../support/built-server';

const API_KEY = 'pmx_bad_input_test_key_0123456789abcdef';
const auth = { Authorization: `Bearer ${API_KEY}` };

jest.setTimeout(120_000);

/** A raw request, for what supertest cannot send (headers over the limit). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bad input with the admin panel on (the default): a clear 4xx in the error shape of API.md', () => {
  let server: BuiltServer;
  beforeAll(async () => (server = await startBuiltServer({ BOOTSTRAP_API_KEY: API_KEY, ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'owner-password-123' })));
  afterAll(() => server?.stop());

  const post = (path: string, contentType: string, body: string) => request(server.url).post(path).set(auth).set('Content-Type', contentType).send(body);

  it.each([
    ['truncated JSON', 400, 'application/json', '{"name": "x", '],
    ['an empty JSON body', 400, 'application/json', ''],
    ['a __proto__ key', 400, 'application/json', '{"__proto__": {"x": 1}}'],
    ['JSON null', 400, 'application/json', 'null'],
    ['an unsupported content type', 415, 'application/xml', '<product/>'],
    ['a body over the limit', 413, 'application/json', JSON.stringify({ name: 'x'.repeat(110 * 1024) })],
  ])('answers %s with %i in the error shape and an X-Request-Id', async (_, status, contentType, body) => {
    const res = await post('/v1/products', contentType, body).expect(status);
    expect(res.body).toEqual(apiError('invalid_request_error'));
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers a URL that cannot be decoded with a 400 that does not echo the path', async () => {
    const res = await request(server.url).get('/v1/products/%ZZ-secret').set(auth).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error'));
    expect(res.text).not.toContain('secret');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers a path parameter over the length limit with a 414 that does not echo it', async () => {
    const res = await request(server.url).get(`/v1/products/${'7'.repeat(300)}`).set(auth).expect(414);
    expect(res.body).toEqual(apiError('invalid_request_error', { code: 'url_too_long' }));
    expect(res.text).not.toContain('7777');
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers headers over the limit with a 431 in the error shape', async () => {
    const res = await rawGet(server.url, '/v1/products', { ...auth, 'X-Filler': 'f'.repeat(20_000) });
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toEqual(apiError('invalid_request_error', { code: 'headers_too_large' }));
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('answers an admin sign-in with a NUL in the e-mail with a 400, not a 500', async () => {
    const res = await request(server.url).post('/admin/login').type('form').send('email=owner%00@example.com&password=owner-password-123');
    expect(res.status).toBe(400);
  });

  it('leaves the admin panel its own answers', async () => {
    await request(server.url).get('/admin/api/resources/Product/actions/list').expect(401);
  });
});
