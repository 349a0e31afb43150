import request from 'supertest';
import { Product } from '../../src/products/product.entity';
import { IdempotencyRecord } from '../../src/sessions/idempotency-record.entity';
import { IdempotencyService } from '../../src/sessions/idempotency.service';
import { Clock } from '../../src/clock';
import { apiError, startTestApp, TEST_API_KEY, TestApp } from '../support/app';

describe('Idempotency-Key on POST', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.close());
  afterEach(() => app.paymux.app.get(Clock).reset());

  const product = { name: 'Idempotent', amount: 1000, currency: 'USD' };
  const post = (key: string, body: object = product) => app.api().post('/v1/products', body).set('Idempotency-Key', key);

  it('replays the first answer byte for byte, marked Idempotent-Replayed, creating one product', async () => {
    const first = await post('k-replay').expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await post('k-replay').expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.text).toBe(first.text);
    expect(await app.em().count(Product, { name: 'Idempotent' })).toBe(1);
  });

  it('answers 422 when the key is reused with a different body', async () => {
    await post('k-diff').expect(201);
    const res = await post('k-diff', { ...product, amount: 2000 }).expect(422);
    expect(res.body).toEqual(apiError('idempotency_error', { code: 'idempotency_key_reused' }));
  });

  it('replays a stored validation error too', async () => {
    const bad = { ...product, amount: -1 };
    const first = await post('k-bad', bad).expect(400);
    const second = await post('k-bad', bad).expect(400);
    expect(second.text).toBe(first.text);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('runs 50 concurrent requests with one key exactly once: one 201, the rest replays or 409s', async () => {
    const body = { ...product, name: 'Concurrent' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => post('k-concurrent', body)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(answers.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    for (const conflict of answers.filter((a) => a.status === 409)) {
      expect(conflict.body).toEqual(apiError('conflict_error', { code: 'idempotency_in_flight' }));
    }
    expect(await app.em().count(Product, { name: 'Concurrent' })).toBe(1);
  });

  it('scopes keys to the API key that used them', async () => {
    const { key } = await app.paymux.app.get((await import('../../src/api-keys/api-key.service')).ApiKeyService).create('other');
    await post('k-scoped', { ...product, name: 'Scoped' }).expect(201);
    const other = await request(app.url).post('/v1/products').set('Authorization', `Bearer ${key}`).set('Idempotency-Key', 'k-scoped').send({ ...product, name: 'Scoped' }).expect(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(await app.em().count(Product, { name: 'Scoped' })).toBe(2);
  });

  it.each([['empty', ''], ['too long', 'k'.repeat(256)]])('rejects an %s key with a 400 naming Idempotency-Key', async (_, key) => {
    const res = await request(app.url).post('/v1/products').set('Authorization', `Bearer ${TEST_API_KEY}`).set('Idempotency-Key', key).send(product).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { param: 'Idempotency-Key' }));
  });

  it('takes over a claim whose owner died, and forgets answers after 24 hours', async () => {
    const service = app.paymux.app.get(IdempotencyService);
    const apiKeyId = (await app.em().findOneOrFail((await import('../../src/api-keys/api-key.entity')).ApiKey, { name: 'bootstrap' })).id;
    const started = await service.start(apiKeyId, 'k-dead', 'fp');
    expect(started.kind).toBe('started');
    await expect(service.start(apiKeyId, 'k-dead', 'fp')).rejects.toMatchObject({ httpStatus: 409 });
    app.paymux.app.get(Clock).advance(10 * 60 * 1000);
    expect((await service.start(apiKeyId, 'k-dead', 'fp')).kind).toBe('started');

    await post('k-old', { ...product, name: 'Old' }).expect(201);
    app.paymux.app.get(Clock).advance(24 * 3600 * 1000 + 1);
    const again = await post('k-old', { ...product, name: 'Old' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await app.em().count(Product, { name: 'Old' })).toBe(2);
  });

  it('purges records older than a cutoff', async () => {
    const service = app.paymux.app.get(IdempotencyService);
    await post('k-purge', { ...product, name: 'Purge' }).expect(201);
    const purged = await service.purgeOlderThan(new Date(Date.now() + 1000));
    expect(purged).toBeGreaterThan(0);
    expect(await app.em().count(IdempotencyRecord, { key: 'k-purge' })).toBe(0);
  });
});
