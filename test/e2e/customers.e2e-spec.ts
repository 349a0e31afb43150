import { Customer } from '../../src/customers/customer.entity';
import { apiError, startTestApp, TestApp } from '../support/app';

describe('customers API', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.close());

  const valid = { reference: 'user-981', email: 'user@example.com', username: 'john_doe', full_name: 'John Doe' };

  it('creates, reads, updates and deletes a customer', async () => {
    const created = await app.api().post('/v1/customers', valid).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^cus_[0-9A-Z]{26}$/), object: 'customer', ...valid, provider_customers: {}, metadata: {},
      created_at: expect.any(String), updated_at: expect.any(String),
    });
    const id = created.body.id;
    expect((await app.api().get(`/v1/customers/${id}`).expect(200)).body).toEqual(created.body);
    expect((await app.api().patch(`/v1/customers/${id}`, { email: null, full_name: 'J. Doe' }).expect(200)).body).toMatchObject({ email: null, full_name: 'J. Doe' });
    expect((await app.api().delete(`/v1/customers/${id}`).expect(200)).body).toEqual({ id, object: 'customer', deleted: true });
    await app.api().get(`/v1/customers/${id}`).expect(404);
  });

  it('keeps references unique: a second customer with the same reference is a 400 on reference', async () => {
    await app.api().post('/v1/customers', { reference: 'dup-1' }).expect(201);
    const res = await app.api().post('/v1/customers', { reference: 'dup-1' }).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { param: 'reference' }));
    expect(await app.em().count(Customer, { reference: 'dup-1' })).toBe(1);
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: 5 }],
    ['reference', { reference: '' }],
    ['reference', { reference: 'r'.repeat(256) }],
    ['username', { username: 'u'.repeat(256) }],
    ['full_name', { full_name: ['x'] }],
    ['metadata', { metadata: { k: 2 } }],
    ['id', { id: 'cus_mine' }],
  ])('rejects bad %s with a 400 naming it', async (param, body) => {
    expect((await app.api().post('/v1/customers', body).expect(400)).body).toEqual(apiError('invalid_request_error', { param }));
  });

  it('filters by email and reference and pages newest first', async () => {
    const a = (await app.api().post('/v1/customers', { reference: 'f-a', email: 'same@example.com' }).expect(201)).body;
    const b = (await app.api().post('/v1/customers', { reference: 'f-b', email: 'same@example.com' }).expect(201)).body;
    const byEmail = await app.api().get('/v1/customers?email=same@example.com').expect(200);
    expect(byEmail.body.data.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    const byRef = await app.api().get('/v1/customers?reference=f-a').expect(200);
    expect(byRef.body.data.map((c: { id: string }) => c.id)).toEqual([a.id]);
    const page = await app.api().get(`/v1/customers?email=same@example.com&limit=1&starting_after=${b.id}`).expect(200);
    expect(page.body).toMatchObject({ has_more: false, data: [{ id: a.id }] });
  });

  it('answers 404 for an unknown customer', async () => {
    await app.api().get('/v1/customers/cus_01ZZZZZZZZZZZZZZZZZZZZZZZZ').expect(404);
    await app.api().get('/v1/customers/whatever').expect(404);
    await app.api().delete('/v1/customers/cus_01ZZZZZZZZZZZZZZZZZZZZZZZZ').expect(404);
  });

  describe("a session's customer", () => {
    const session = (customer: Record<string, unknown>) =>
      app.api().post('/v1/sessions', { provider: 'spayon', amount: 500000, currency: 'AMD', return_url: 'https://shop.example/r', ...customer });
    const byReference = (reference: string) => app.em().find(Customer, { reference });

    it('given inline is created, and a later session with its reference updates the same customer and keeps what it does not name', async () => {
      const first = await session({ customer: { reference: 'inline-1', email: 'a@example.com', username: 'first' } }).expect(201);
      const second = await session({ customer: { reference: 'inline-1', email: 'b@example.com' } }).expect(201);
      const [customer, ...others] = await byReference('inline-1');
      expect(others).toEqual([]);
      expect(first.body.customer_id).toBe(customer.id);
      expect(second.body.customer_id).toBe(customer.id);
      expect((await app.api().get(`/v1/customers/${customer.id}`).expect(200)).body).toMatchObject({ reference: 'inline-1', email: 'b@example.com', username: 'first' });
    });

    it('given inline with one new reference by concurrent sessions becomes one customer that every session names', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => session({ customer: { reference: 'inline-race', full_name: `Buyer ${i}` } })));
      expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
      const customers = await byReference('inline-race');
      expect(customers).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.body.customer_id))).toEqual(new Set([customers[0].id]));
    });

    it('named by customer_id must exist (400 on customer_id), and a refused session writes no inline customer', async () => {
      const missing = await session({ customer_id: 'cus_01JD0000000000000000000000' }).expect(400);
      expect(missing.body).toEqual(apiError('invalid_request_error', { param: 'customer_id', code: 'resource_missing' }));
      const refused = await session({ currency: 'JPY', customer: { reference: 'inline-refused' } }).expect(400);
      expect(refused.body).toEqual(apiError('invalid_request_error', { param: 'currency' }));
      expect(await byReference('inline-refused')).toEqual([]);
    });
  });
});
