import { MikroORM } from '@mikro-orm/core';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { ApiKeyService, hashApiKey } from '../../src/api-keys/api-key.service';
import { loadConfig } from '../../src/config/config';
import { migrateToLatest } from '../../src/database/migrate';
import { POSTGRESQL_MIGRATIONS } from '../../src/database/migrations/postgresql';
import { SQLITE_MIGRATIONS } from '../../src/database/migrations/sqlite';
import { ormOptions } from '../../src/database/orm-config';
import { startTestApp, TestApp } from '../support/app';
import { createTestDatabase, TestDatabase, usingPostgres } from '../support/database';

describe('migrations', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(ormOptions(loadConfig({ ...database.env, LOG_LEVEL: 'silent' })));
  });
  afterAll(async () => {
    await orm.close(true);
    await database.drop();
  });

  it(`bring an empty ${usingPostgres() ? 'PostgreSQL' : 'SQLite'} database to exactly the schema the entities describe`, async () => {
    expect((await migrateToLatest(orm)).length).toBeGreaterThan(0);
    const drift = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    if (drift.trim() !== '') {
      throw new Error(`The entities and the migrations disagree; add a migration (README, "Migrations"). Missing SQL:\n${drift}`);
    }
  });

  it('apply nothing the second time', async () => {
    expect(await migrateToLatest(orm)).toEqual([]);
  });

  it('let instances starting together both ensure the same BOOTSTRAP_API_KEY', async () => {
    const app = await startTestApp({}, database);
    try {
      const keys = app.paymux.app.get(ApiKeyService);
      const bootstrapKey = 'pmx_started_together_0123456789abcdef';
      await Promise.all([keys.ensureStartupKey(bootstrapKey, true), keys.ensureStartupKey(bootstrapKey, true)]);
      expect(await app.em().count(ApiKey, { hash: hashApiKey(bootstrapKey) })).toBe(1);
    } finally {
      await app.close();
    }
  });

  // Multi-instance behaviour needs PostgreSQL (SQLite is single-instance); CI runs this suite on both.
  if (usingPostgres()) {
    it('let two instances start at once on one fresh database (advisory lock)', async () => {
      const fresh = await createTestDatabase();
      const started: TestApp[] = [];
      try {
        const results = await Promise.allSettled([startTestApp({}, fresh), startTestApp({}, fresh)]);
        for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
        expect(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual(['started', 'started']);
        for (const app of started) await app.api().get('/v1/products').expect(200);
      } finally {
        for (const app of started) await app.close();
        await fresh.drop();
      }
    });
  }

  it("keep every product's Spayon product id, as its provider_products entry, when products move to provider catalogue ids", async () => {
    const previous = await createTestDatabase();
    const old = await MikroORM.init(ormOptions(loadConfig({ ...previous.env, LOG_LEVEL: 'silent' })));
    let ids: number[];
    try {
      const migrations = usingPostgres() ? POSTGRESQL_MIGRATIONS : SQLITE_MIGRATIONS;
      const index = migrations.findIndex((migration) => migration.name.endsWith('_ProviderProducts'));
      await old.getMigrator().up({ to: migrations[index - 1].name });
      const connection = old.em.getConnection();
      const now = old.em.getPlatform().processDateProperty(new Date());
      const insert = (name: string, amount: number, spayonProductId: number | null, active: boolean) =>
        connection.execute(
          `insert into products (name, description, amount, currency, active, spayon_product_id, metadata, created_at, updated_at) values (?, null, ?, 'AMD', ${active}, ?, ?, ?, ?) returning id`,
          [name, amount, spayonProductId, JSON.stringify({ sku: name }), now, now],
        ) as Promise<Array<{ id: number }>>;
      ids = [];
      for (const [name, amount, spayonProductId, active] of [
        ['In the Spayon catalogue', 100000, 1, true],
        ['Custom', 250000, null, true],
        ['Archived, largest id', 300000, 2147483647, false],
        ['Deleted', 400000, 5, true],
      ] as const) ids.push(Number((await insert(name, amount, spayonProductId, active))[0].id));
      await connection.execute('delete from products where id = ?', [ids[3]]);
      expect(await migrateToLatest(old)).toEqual([migrations[index].name, ...migrations.slice(index + 1).map((migration) => migration.name)]);
    } finally {
      await old.close(true);
    }
    const app = await startTestApp({}, previous);
    try {
      const read = async (id: number) => (await app.api().get(`/v1/products/${id}`).expect(200)).body;
      expect(await read(ids[0])).toMatchObject({ name: 'In the Spayon catalogue', amount: 100000, currency: 'AMD', active: true, spayon_product_id: 1, metadata: { sku: 'In the Spayon catalogue' } });
      expect(await read(ids[1])).toMatchObject({ name: 'Custom', spayon_product_id: null, metadata: { sku: 'Custom' } });
      expect(await read(ids[2])).toMatchObject({ name: 'Archived, largest id', active: false, spayon_product_id: 2147483647 });
      await app.api().get(`/v1/products/${ids[3]}`).expect(404);
      expect((await app.api().get('/v1/products').expect(200)).body.data.map((product: { id: number }) => product.id)).toEqual([ids[2], ids[1], ids[0]]);
      // A deleted product's id is never handed out again.
      const created = (await app.api().post('/v1/products', { name: 'New', amount: 500, currency: 'AMD', spayon_product_id: 2 }).expect(201)).body;
      expect(created.id).toBeGreaterThan(ids[3]);
      expect(await read(created.id)).toMatchObject({ spayon_product_id: 2 });
      // The migrated Spayon id still reaches Spayon: its product_id option starts a session for it.
      const session = await app.api().post('/v1/sessions', { provider: 'spayon', product_id: ids[0], return_url: 'https://shop.example/r' }).expect(201);
      expect(session.body).toMatchObject({ provider: 'spayon', status: 'open', amount: 100000, currency: 'AMD', redirect_url: expect.any(String) });
    } finally {
      await app.close();
      await previous.drop();
    }
  });
});
