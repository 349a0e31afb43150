import type { AnyProviderDefinition } from './provider-definition';

/**
 * Every provider paymux knows, one folder of src/providers/ a line, in the default
 * PROVIDERS_ORDER. Adding a provider is adding its library (libs/<p>), its folder
 * (src/providers/<p>, whose <p>.definition.ts exports its definition as default) and one line
 * here — `node scripts/add-provider.js <name>` scaffolds all three.
 */
const PROVIDER_FOLDERS = [
  'spayon',
  'smart-glocal',
  'komoju',
];

export const PROVIDER_DEFINITIONS: readonly AnyProviderDefinition[] = PROVIDER_FOLDERS.map(loadDefinition);

function loadDefinition(folder: string): AnyProviderDefinition {
  const definition = (require(`./${folder}/${folder}.definition`) as { default?: AnyProviderDefinition }).default;
  if (!definition || definition.slug !== folder) throw new Error(`src/providers/${folder}/${folder}.definition.ts must export its definition (slug "${folder}") as default`);
  return definition;
}

/** The API's provider names, in the default order. */
export const PROVIDER_NAMES: readonly string[] = PROVIDER_DEFINITIONS.map((definition) => definition.name);

/**
 * A provider's URL segment (`/v1/webhooks/<slug>`), as its definition names it; a provider
 * registered without a definition (a test's) is served at its name with dashes.
 */
export function providerSlug(name: string): string {
  return PROVIDER_DEFINITIONS.find((definition) => definition.name === name)?.slug ?? name.replace(/_/g, '-');
}

/** The provider a URL segment names: the one whose definition has that slug, else the segment's name with underscores. */
export function providerNameAt(segment: string): string {
  return PROVIDER_DEFINITIONS.find((definition) => definition.slug === segment)?.name ?? segment.replace(/-/g, '_');
}

/** Lower-case callback header names worth keeping for audit, from every provider (plus the shared ones). */
export function keptWebhookHeader(name: string): boolean {
  const header = name.toLowerCase();
  if (['content-type', 'user-agent', 'x-request-id'].includes(header)) return true;
  return PROVIDER_DEFINITIONS.some((definition) =>
    definition.webhookHeaders.some((kept) => (kept.endsWith('*') ? header.startsWith(kept.slice(0, -1)) && /^[a-z0-9-]+$/.test(header) : header === kept)),
  );
}
