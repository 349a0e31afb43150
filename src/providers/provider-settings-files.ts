import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AnyProviderDefinition } from './provider-definition';
import { PROVIDER_DEFINITIONS } from './provider-list';

/**
 * The provider settings `.env.example` and `docker-compose.yml` list, generated from the
 * definitions between two marker lines (`npm run providers:sync` rewrites them; a test fails when
 * they drift).
 */
/** The repository root (this file is src/providers/ or dist/src/providers/). */
const ROOT = join(__dirname, basename(dirname(dirname(__dirname))) === 'dist' ? '../../..' : '../..');
const BEGIN = "provider settings: generated from each provider's definition (npm run providers:sync)";
const END = 'end of provider settings';

interface SettingsFile {
  path: string;
  indent: string;
  render(definitions: readonly AnyProviderDefinition[], indent: string): string[];
}

const ENV_EXAMPLE: SettingsFile = {
  path: join(ROOT, '.env.example'),
  indent: '',
  render: (definitions) =>
    definitions.flatMap((definition) =>
      definition.settings.flatMap((setting) => [...(setting.description ? [`# ${setting.description}`] : []), `${setting.env}=${setting.example ?? ''}`]),
    ),
};

const COMPOSE: SettingsFile = {
  path: join(ROOT, 'docker-compose.yml'),
  indent: '      ',
  render: (definitions, indent) =>
    definitions.flatMap((definition) => definition.settings.map((setting) => `${indent}${setting.env}: \${${setting.env}:-${setting.example ?? ''}}`)),
};

export const PROVIDER_SETTINGS_FILES = [ENV_EXAMPLE, COMPOSE];

function block(file: SettingsFile, definitions: readonly AnyProviderDefinition[]): string {
  return [`${file.indent}# --- ${BEGIN} ---`, ...file.render(definitions, file.indent), `${file.indent}# --- ${END} ---`].join('\n');
}

/** The file's text with its generated block as the definitions say it should be. */
export function withProviderSettings(file: SettingsFile, text: string, definitions = PROVIDER_DEFINITIONS): string {
  const start = text.indexOf(`# --- ${BEGIN} ---`);
  const stop = text.indexOf(`# --- ${END} ---`);
  if (start < 0 || stop < start) throw new Error(`${file.path} has no generated provider settings block`);
  const lineStart = text.lastIndexOf('\n', start) + 1;
  const lineEnd = text.indexOf('\n', stop);
  return text.slice(0, lineStart) + block(file, definitions) + (lineEnd < 0 ? '' : text.slice(lineEnd));
}

export function readSettingsFile(file: SettingsFile): string {
  return readFileSync(file.path, 'utf8');
}
