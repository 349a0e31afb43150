import { MikroORM } from '@mikro-orm/core';
import { loadConfig } from '../config/config';
import { databaseDriver, ormOptions } from '../database/orm-config';

/**
 * Writes a new migration for the current driver (DATABASE_URL set: PostgreSQL, else SQLite):
 * applies the existing migrations to that database, then diffs the entities against it.
 * Run it once per driver on an empty database, then add both files to their folder's index.ts.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const driver = databaseDriver(config);
  const orm = await MikroORM.init(ormOptions(config));
  try {
    await orm.getMigrator().up();
    const result = await orm.getMigrator().createMigration(undefined, false, false, process.argv[2]);
    console.log(result.fileName ? `${driver}: wrote ${result.fileName}` : `${driver}: no changes`);
  } finally {
    await orm.close(true);
  }
}

void main();
