import { MikroORM } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';

/** Arbitrary constant: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 72_404_120;

/**
 * Applies pending migrations. On PostgreSQL, instances starting together take turns through an
 * advisory lock held by a transaction around the run; SQLite has one writer anyway.
 */
export async function migrateToLatest(orm: MikroORM): Promise<string[]> {
  const migrator = orm.getMigrator();
  if (orm.config.get('driver')?.name !== 'PostgreSqlDriver') {
    return (await migrator.up()).map((m) => m.name);
  }
  const knex = (orm.em.getConnection() as unknown as { getKnex(): Knex }).getKnex();
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    return (await migrator.up()).map((m) => m.name);
  });
}
