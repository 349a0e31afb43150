import request from 'supertest';
import { apiError, startTestApp, TEST_API_KEY, TestApp } from '../support/app';

describe('input no column can store, or no validator should walk: a 400 naming the parameter', () => {
  let app: TestApp;
  let productId: number;
  let customerId: string;
  beforeAll(async () => {
    app = await startTestApp();
    productId = (await app.api().post('/v1/products', { name: 'Case', amount: 1000, currency: 'USD' }).expect(201)).body.id;
    customerId = (await app.api().post('/v1/customers', { reference: 'u-1', email: 'u1@example.com' }).expect(201)).body.id;
  });
  afterAll(() => app.close());

  const invalid = (param: string) => apiError('invalid_request_error', { param });

  it.each([
    ['a NUL in a product name', '/v1/products', { name: 'a\u0000b', amount: 1, currency: 'USD' }, 'name'],
    ['a NUL in a metadata value', '/v1/products', { name: 'x', amount: 1, currency: 'USD', metadata: { k: 'v\u0000' } }, 'metadata.k'],
    ['a NUL in a customer reference', '/v1/customers', { reference: '\u0000' }, 'reference'],
    ['a lone surrogate in an e-mail', '/v1/customers', { email: 'a\ud800@example.com' }, 'email'],
    ['"customer": null on a session', '/v1/sessions', { amount: 100, currency: 'USD', return_url: 'https://shop.example/r', customer: null }, 'customer'],
    ['a spayon_product_id of 2^31', '/v1/products', { name: 'x', amount: 1, currency: 'USD', spayon_product_id: 2 ** 31 }, 'spayon_product_id'],
  ])('POST: %s', async (_, path, body, param) => {
    expect((await app.api().post(path, body).expect(400)).body).toEqual(invalid(param));
  });

  it('answers JSON nested 10,000 deep with a 400, not a stack overflow', async () => {
    const deep = '{"metadata":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + ',"name":"x","amount":1,"currency":"USD"}';
    const res = await app.api().post('/v1/products').set('Content-Type', 'application/json').send(deep).expect(400);
    expect(res.body).toEqual(invalid('metadata'));
  });

  it.each([
    ['name', { name: null }],
    ['amount', { amount: null }],
    ['currency', { currency: null }],
    ['active', { active: null }],
  ])('PATCH a product with %s: null', async (param, body) => {
    expect((await app.api().patch(`/v1/products/${productId}`, body).expect(400)).body).toEqual(invalid(param));
  });

  it('PATCH a customer with metadata: null', async () => {
    expect((await app.api().patch(`/v1/customers/${customerId}`, { metadata: null }).expect(400)).body).toEqual(invalid('metadata'));
  });

  it('still lets PATCH clear a nullable field', async () => {
    const res = await app.api().patch(`/v1/products/${productId}`, { description: null, spayon_product_id: null }).expect(200);
    expect(res.body).toMatchObject({ description: null, spayon_product_id: null });
  });

  it('answers a JSON null body with a 400, not as {}', async () => {
    const res = await request(app.url).patch(`/v1/products/${productId}`).set('Authorization', `Bearer ${TEST_API_KEY}`)
      .set('Content-Type', 'application/json').send('null').expect(400);
    expect(res.body).toEqual(invalid('body'));
  });

  it.each([
    ['a %00 in a path id', `/v1/customers/cus_%00`, 'id'],
    ['a %00 in a query filter', '/v1/customers?email=a%00b', 'email'],
    ['an impossible date in created_gte', '/v1/sessions?created_gte=2026-02-30T00:00:00Z', 'created_gte'],
    ['an hour 25 in created_lt', '/v1/sessions?created_lt=2026-01-01T25:00:00Z', 'created_lt'],
  ])('GET: %s', async (_, path, param) => {
    expect((await app.api().get(path).expect(400)).body).toEqual(invalid(param));
  });

  it.each([
    ['a single product', () => `/v1/products/${productId}?expand=all`],
    ['a customer', () => `/v1/customers/${customerId}?x=1`],
    ['the job list', () => '/v1/jobs?verbose=1'],
    ['a list with a DTO', () => '/v1/products?colour=red'],
  ])('refuses an unknown query parameter on %s', async (_, path) => {
    const res = await app.api().get(path()).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { code: 'parameter_unknown' }));
  });

  it('checks the API key before the query string: a keyless request with an unknown parameter is a 401', async () => {
    const res = await request(app.url).get(`/v1/products/${productId}?expand=all`).expect(401);
    expect(res.body).toEqual(apiError('authentication_error'));
  });

  it('keeps health checks answering with a query string the route declares nothing for refused', async () => {
    await request(app.url).get('/health?x=1').expect(400);
    await request(app.url).get('/health').expect(200);
  });
});
