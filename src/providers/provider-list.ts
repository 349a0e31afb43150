import type { AnyProviderDefinition } from './provider-definition';
import { KOMOJU_DEFINITION } from './komoju/komoju.definition';
import { SMART_GLOCAL_DEFINITION } from './smart-glocal/smart-glocal.definition';
import { SPAYON_DEFINITION } from './spayon/spayon.definition';

/**
 * Every provider paymux knows, in the default PROVIDERS_ORDER. Adding a provider is adding its
 * library (libs/<p>), its folder (src/providers/<p>, with its definition) and one entry here.
 */
export const PROVIDER_DEFINITIONS: readonly AnyProviderDefinition[] = [SPAYON_DEFINITION, SMART_GLOCAL_DEFINITION, KOMOJU_DEFINITION];

/** The API's provider names, in the default order. */
export const PROVIDER_NAMES: readonly string[] = PROVIDER_DEFINITIONS.map((definition) => definition.name);

/** Lower-case callback header names worth keeping for audit, from every provider (plus the shared ones). */
export function keptWebhookHeader(name: string): boolean {
  const header = name.toLowerCase();
  if (['content-type', 'user-agent', 'x-request-id'].includes(header)) return true;
  return PROVIDER_DEFINITIONS.some((definition) =>
    definition.webhookHeaders.some((kept) => (kept.endsWith('*') ? header.startsWith(kept.slice(0, -1)) && /^[a-z0-9-]+$/.test(header) : header === kept)),
  );
}
