import { MikroORM } from '@mikro-orm/core';
import { ApiKeyService } from '../api-keys/api-key.service';
import { loadConfig } from '../config/config';
import { migrateToLatest } from '../database/migrate';
import { ormOptions } from '../database/orm-config';
import { argumentValue, runCli } from './run-cli';

const USAGE = 'usage: npm run apikey:create -- --name <what the key is for>';

/** `npm run apikey:create -- --name X`: creates an API key and prints it; only its hash is kept. */
runCli(async () => {
  const name = argumentValue(process.argv.slice(2), 'name')?.trim();
  if (!name) throw new Error(`--name is required\n${USAGE}`);
  if (name.length > 255) throw new Error('--name must be at most 255 characters');
  const config = loadConfig(process.env);
  const orm = await MikroORM.init(ormOptions(config));
  try {
    if (config.migrateOnStart) await migrateToLatest(orm);
    const { apiKey, key } = await new ApiKeyService(orm.em).create(name);
    process.stdout.write(`Created API key ${apiKey.id} "${name}". It is shown only now; store it safely:\n${key}\n`);
  } finally {
    await orm.close(true);
  }
});
