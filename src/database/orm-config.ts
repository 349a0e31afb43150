import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';
import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';

export type DatabaseDriver = 'postgresql' | 'sqlite';

export function databaseDriver(config: Pick<AppConfig, 'databaseUrl'>): DatabaseDriver {
  return config.databaseUrl ? 'postgresql' : 'sqlite';
}

/**
 * Connections per pool on PostgreSQL: the ORM's (transactions, the ORM's statements) and the
 * statement pool's (single statements outside a transaction, src/database/statements.ts) each
 * hold up to this many, so an instance uses at most twice this.
 */
export const POOL_SIZE = 10;

/**
 * MikroORM options for PostgreSQL (DATABASE_URL set) or SQLite (DATA_DIR/paymux.sqlite).
 * Schema changes only through the checked-in migrations, one folder per driver (a migration
 * generated for one dialect does not run on the other).
 */
export function ormOptions(config: Pick<AppConfig, 'databaseUrl' | 'sqlitePath' | 'dataDir'>): Options {
  const driver = databaseDriver(config);
  const common: Options = {
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      tableName: 'mikro_orm_migrations',
      // Used only when writing a new migration (see src/cli/migration-create.ts); running uses
      // the explicit list, so no file globbing happens at start-up.
      path: join(process.cwd(), 'src', 'database', 'migrations', driver),
      migrationsList: driver === 'postgresql' ? POSTGRESQL_MIGRATIONS : SQLITE_MIGRATIONS,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      silent: true,
    },
  };
  if (driver === 'postgresql') {
    return { ...common, driver: PostgreSqlDriver, clientUrl: config.databaseUrl!, pool: { min: 0, max: POOL_SIZE } };
  }
  mkdirSync(config.dataDir, { recursive: true });
  return { ...common, driver: SqliteDriver, dbName: config.sqlitePath };
}
