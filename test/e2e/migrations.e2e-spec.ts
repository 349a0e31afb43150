import { MikroORM } from '@mikro-orm/core';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { ApiKeyService, hashApiKey } from '../../src/api-keys/api-key.service';
import { loadConfig } from '../../src/config/config';
import { migrateToLatest } from '../../src/database/migrate';
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
});
