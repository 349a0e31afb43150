/**
 * A product's ids in providers' catalogues are one JSON map, provider name → id, which each
 * adapter reads its own entry of. The API shows Spayon's entry as `spayon_product_id` (API.md,
 * Products); these translate between that field and the map.
 */
export const SPAYON_CATALOGUE = 'spayon';

/** The integer id `provider` has for the product, or null. */
export function catalogueId(providerProducts: Readonly<Record<string, string | number>>, provider: string): number | null {
  const id = providerProducts[provider];
  return typeof id === 'number' ? id : null;
}

/** The map with `provider`'s id set to `id`, or removed when `id` is null. */
export function withCatalogueId(providerProducts: Readonly<Record<string, string | number>>, provider: string, id: number | null): Record<string, string | number> {
  const { [provider]: _previous, ...others } = providerProducts;
  return id === null ? others : { ...others, [provider]: id };
}
