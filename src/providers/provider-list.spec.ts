import { PROVIDER_DEFINITIONS, providerNameAt, providerSlug } from './provider-list';

describe('provider URL segments come from the definitions', () => {
  it.each(PROVIDER_DEFINITIONS.map((definition) => [definition.name, definition.slug]))('%s is served at /v1/webhooks/%s', (name, slug) => {
    expect(providerSlug(name)).toBe(slug);
    expect(providerNameAt(slug)).toBe(name);
  });

  it('the segment smart-glocal names the provider smart_glocal, and the API name itself still names it', () => {
    expect(providerNameAt('smart-glocal')).toBe('smart_glocal');
    expect(providerNameAt('smart_glocal')).toBe('smart_glocal');
  });

  it('a provider registered without a definition is served at its name with dashes', () => {
    expect(providerSlug('test_provider')).toBe('test-provider');
    expect(providerNameAt('test-provider')).toBe('test_provider');
  });
});
