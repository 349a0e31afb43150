import { MikroORM } from '@mikro-orm/core';
import { loadConfig } from '../config/config';
import { migrateToLatest } from '../database/migrate';
import { databaseDriver, ormOptions } from '../database/orm-config';
import { runCli } from './run-cli';

/** `npm run migrate`: applies the pending migrations of the configured database and says which. */
runCli(async () => {
  const config = loadConfig(process.env);
  const driver = databaseDriver(config);
  const orm = await MikroORM.init(ormOptions(config));
  try {
    const applied = await migrateToLatest(orm);
    const where = driver === 'postgresql' ? 'PostgreSQL' : `SQLite at ${config.sqlitePath}`;
    if (applied.length === 0) {
      process.stdout.write(`${where}: no pending migrations\n`);
    } else {
      process.stdout.write(`${where}: applied ${applied.length} migration(s)\n${applied.map((name) => `  ${name}\n`).join('')}`);
    }
  } finally {
    await orm.close(true);
  }
});
