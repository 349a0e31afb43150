import request from 'supertest';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { ApiKeyService } from '../../src/api-keys/api-key.service';
import { startTestApp, TestApp } from '../support/app';
import { usingPostgres } from '../support/database';

/**
 * "Last used at" of an API key, counted where it lands: a trigger in the real database records
 * every UPDATE of the key's row, so the count is what the database did, not what the code says.
 */
describe('API key last use, on two instances sharing one database', () => {
  let one: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    one = await startTestApp();
    other = await startTestApp({}, one.database);
    const connection = one.em().getConnection();
    await connection.execute('create table key_row_writes (key_id varchar(40) not null)');
    if (usingPostgres()) {
      await connection.execute(`create function count_key_row_write() returns trigger language plpgsql as $$
        begin insert into key_row_writes values (new.id); return new; end $$`);
      await connection.execute('create trigger count_key_row_writes after update on api_keys for each row execute function count_key_row_write()');
    } else {
      await connection.execute('create trigger count_key_row_writes after update on api_keys begin insert into key_row_writes values (new.id); end');
    }
  });

  afterAll(async () => {
    await other?.close();
    await one?.close();
  });

  const writes = async (id: string) => Number(((await one.em().getConnection().execute('select count(*) as n from key_row_writes where key_id = ?', [id])) as { n: number | string }[])[0].n);

  it('is filled by the first request and written once however many requests follow, on either instance', async () => {
    const { apiKey, key } = await one.paymux.app.get(ApiKeyService).create('shop backend');
    expect((await one.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt).toBeNull();

    await request(one.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(200);
    const first = (await one.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    expect(await writes(apiKey.id)).toBe(1);

    // Concurrent requests on both instances: each instance checks the key itself, yet the row
    // is written at most once a minute.
    await Promise.all(Array.from({ length: 40 }, (_, i) => request(i % 2 ? one.url : other.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(200)));
    expect(await writes(apiKey.id)).toBe(1);
    expect((await one.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt).toEqual(first);
  });

  it("a new key's first requests, arriving together on both instances, write it once", async () => {
    const { apiKey, key } = await one.paymux.app.get(ApiKeyService).create('burst');
    await Promise.all(Array.from({ length: 20 }, (_, i) => request(i % 2 ? one.url : other.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(200)));
    expect(await writes(apiKey.id)).toBe(1);
    expect((await one.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt).toBeInstanceOf(Date);
  });

  it('an unknown or revoked key writes nothing', async () => {
    const keys = one.paymux.app.get(ApiKeyService);
    const { apiKey, key } = await keys.create('revoked soon');
    await keys.revoke(apiKey.id);
    const afterRevoke = await writes(apiKey.id);
    await request(other.url).get('/v1/products').set('Authorization', `Bearer ${key}`).expect(401);
    await request(other.url).get('/v1/products').set('Authorization', 'Bearer pmx_not_a_key_at_all_0000000000000000').expect(401);
    expect(await writes(apiKey.id)).toBe(afterRevoke);
    expect((await one.em().findOneOrFail(ApiKey, { id: apiKey.id })).lastUsedAt).toBeNull();
  });
});
