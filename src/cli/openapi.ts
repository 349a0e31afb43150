import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { OPENAPI_FILE, renderOpenApiFile } from '../openapi-file';
import { runCli } from './run-cli';

/** `npm run openapi`: rewrites openapi.json from the app's controllers and DTOs. */
runCli(async () => {
  writeFileSync(OPENAPI_FILE, await renderOpenApiFile());
  process.stdout.write(`wrote ${relative(process.cwd(), OPENAPI_FILE) || OPENAPI_FILE}\n`);
});
