import { Session } from '../../src/sessions/session.entity';
import { Product } from '../../src/products/product.entity';
import { apiError, startTestApp, TestApp } from '../support/app';

describe('products API', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.close());

  const valid = { name: 'iPhone 16 Pro case', amount: 500000, currency: 'amd', spayon_product_id: 17, metadata: { sku: 'C-1' } };

  it('creates a product with the currency upper-cased and answers it in the API shape', async () => {
    const res = await app.api().post('/v1/products', valid).expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number), object: 'product', name: 'iPhone 16 Pro case', description: null,
      amount: 500000, currency: 'AMD', active: true, spayon_product_id: 17, metadata: { sku: 'C-1' },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), updated_at: expect.any(String),
    });
    const got = await app.api().get(`/v1/products/${res.body.id}`).expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('updates price and fields, and can clear nullable ones', async () => {
    const { body } = await app.api().post('/v1/products', valid).expect(201);
    const res = await app.api().patch(`/v1/products/${body.id}`, { amount: 1999, currency: 'usd', spayon_product_id: null, description: 'x' }).expect(200);
    expect(res.body).toMatchObject({ amount: 1999, currency: 'USD', spayon_product_id: null, description: 'x' });
  });

  it('keeps the Spayon product id through a PATCH that does not name it, changes it when named, and stores it by provider', async () => {
    const { body } = await app.api().post('/v1/products', valid).expect(201);
    expect((await app.api().patch(`/v1/products/${body.id}`, { name: 'Renamed' }).expect(200)).body).toMatchObject({ name: 'Renamed', spayon_product_id: 17 });
    expect((await app.api().patch(`/v1/products/${body.id}`, { spayon_product_id: 18 }).expect(200)).body).toMatchObject({ name: 'Renamed', spayon_product_id: 18 });
    expect((await app.em().findOneOrFail(Product, { id: body.id })).providerProducts).toEqual({ spayon: 18 });
    await app.api().patch(`/v1/products/${body.id}`, { spayon_product_id: null }).expect(200);
    expect((await app.em().findOneOrFail(Product, { id: body.id })).providerProducts).toEqual({});
    const error = await app.api().post('/v1/products', { ...valid, provider_products: { spayon: 17 } }).expect(400);
    expect(error.body).toEqual(apiError('invalid_request_error', { param: 'provider_products' }));
  });

  it.each([
    ['name', { ...valid, name: undefined }],
    ['name', { ...valid, name: '' }],
    ['name', { ...valid, name: 'x'.repeat(256) }],
    ['name', { ...valid, name: 42 }],
    ['amount', { ...valid, amount: -1 }],
    ['amount', { ...valid, amount: 10.5 }],
    ['amount', { ...valid, amount: '1000' }],
    ['amount', { ...valid, amount: 2 ** 53 }],
    ['amount', { ...valid, amount: undefined }],
    ['currency', { ...valid, currency: 'XYZ' }],
    ['currency', { ...valid, currency: 'dollars' }],
    ['currency', { ...valid, currency: 1 }],
    ['active', { ...valid, active: 'yes' }],
    ['spayon_product_id', { ...valid, spayon_product_id: 0 }],
    ['spayon_product_id', { ...valid, spayon_product_id: 1.5 }],
    ['metadata', { ...valid, metadata: { a: 1 } }],
    ['metadata', { ...valid, metadata: { ['k'.repeat(31)]: 'v' } }],
    ['metadata', { ...valid, metadata: { k: 'v'.repeat(501) } }],
    ['metadata', { ...valid, metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }],
    ['metadata', { ...valid, metadata: ['a'] }],
    ['description', { ...valid, description: 'd'.repeat(5001) }],
    ['surprise', { ...valid, surprise: true }],
  ])('rejects bad %s with a 400 naming it, and stores nothing', async (param, body) => {
    const before = await app.em().count(Product, {});
    const res = await app.api().post('/v1/products', body).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { param }));
    expect(await app.em().count(Product, {})).toBe(before);
  });

  it('rejects a bad PATCH field with a 400 and leaves the product unchanged', async () => {
    const { body } = await app.api().post('/v1/products', valid).expect(201);
    await app.api().patch(`/v1/products/${body.id}`, { amount: -5, name: 'changed' }).expect(400);
    expect((await app.api().get(`/v1/products/${body.id}`)).body.name).toBe(valid.name);
  });

  it('answers 404 for unknown or malformed ids', async () => {
    expect((await app.api().get('/v1/products/999999').expect(404)).body).toEqual(apiError('not_found_error', { code: 'resource_missing' }));
    await app.api().get('/v1/products/abc').expect(404);
    await app.api().patch('/v1/products/999999', { name: 'x' }).expect(404);
    await app.api().delete('/v1/products/999999').expect(404);
  });

  it('deletes an unused product, archives one that sessions reference', async () => {
    const unused = (await app.api().post('/v1/products', valid).expect(201)).body;
    expect((await app.api().delete(`/v1/products/${unused.id}`).expect(200)).body).toMatchObject({ id: unused.id, deleted: true });
    await app.api().get(`/v1/products/${unused.id}`).expect(404);

    const used = (await app.api().post('/v1/products', valid).expect(201)).body;
    const em = app.em();
    em.persist(Object.assign(new Session(), { provider: 'spayon', productId: used.id, amount: 1, currency: 'AMD', returnUrl: 'https://x.test', expiresAt: new Date() }));
    await em.flush();
    expect((await app.api().delete(`/v1/products/${used.id}`).expect(200)).body).toMatchObject({ id: used.id, deleted: false, active: false });
    expect((await app.api().get(`/v1/products/${used.id}`).expect(200)).body.active).toBe(false);
  });

  describe('listing', () => {
    let ids: number[];
    beforeAll(async () => {
      const fresh = await startTestApp();
      await app.close();
      app = fresh;
      ids = [];
      for (let i = 0; i < 5; i++) {
        const res = await app.api().post('/v1/products', { ...valid, currency: i % 2 ? 'USD' : 'EUR', active: i !== 4 }).expect(201);
        ids.push(res.body.id);
      }
    });

    it('pages newest first with a cursor', async () => {
      const first = await app.api().get('/v1/products?limit=2').expect(200);
      expect(first.body).toMatchObject({ object: 'list', has_more: true });
      expect(first.body.data.map((p: { id: number }) => p.id)).toEqual([ids[4], ids[3]]);
      const second = await app.api().get(`/v1/products?limit=2&starting_after=${ids[3]}`).expect(200);
      expect(second.body.data.map((p: { id: number }) => p.id)).toEqual([ids[2], ids[1]]);
      const last = await app.api().get(`/v1/products?limit=2&starting_after=${ids[1]}`).expect(200);
      expect(last.body).toMatchObject({ has_more: false, data: [{ id: ids[0] }] });
    });

    it('filters by active and currency (any case)', async () => {
      const usd = await app.api().get('/v1/products?currency=usd').expect(200);
      expect(usd.body.data.map((p: { id: number }) => p.id)).toEqual([ids[3], ids[1]]);
      const inactive = await app.api().get('/v1/products?active=false').expect(200);
      expect(inactive.body.data.map((p: { id: number }) => p.id)).toEqual([ids[4]]);
    });

    it.each([
      ['limit', 'limit=0'], ['limit', 'limit=101'], ['limit', 'limit=abc'], ['active', 'active=maybe'],
      ['currency', 'currency=XYZ'], ['starting_after', 'starting_after=abc'], ['colour', 'colour=red'],
    ])('rejects a bad %s query with a 400 naming it', async (param, query) => {
      expect((await app.api().get(`/v1/products?${query}`).expect(400)).body).toEqual(apiError('invalid_request_error', { param }));
    });
  });
});
