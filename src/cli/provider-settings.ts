import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { PROVIDER_SETTINGS_FILES, readSettingsFile, withProviderSettings } from '../providers/provider-settings-files';
import { runCli } from './run-cli';

/** `npm run providers:sync`: rewrites the provider settings of .env.example and docker-compose.yml from the definitions. */
runCli(async () => {
  for (const file of PROVIDER_SETTINGS_FILES) {
    const before = readSettingsFile(file);
    const after = withProviderSettings(file, before);
    if (after !== before) writeFileSync(file.path, after);
    process.stdout.write(`${after === before ? 'unchanged' : 'wrote'} ${relative(process.cwd(), file.path)}\n`);
  }
});
