import { EnvReader } from '../../src/config/env-reader';
import { PROVIDER_DEFINITIONS } from '../../src/providers/provider-list';
import { PROVIDER_SETTINGS_FILES, readSettingsFile, withProviderSettings } from '../../src/providers/provider-settings-files';

/** Each provider owns its settings; the files people copy list exactly those (npm run providers:sync). */
describe('provider settings from the definitions', () => {
  it.each(PROVIDER_SETTINGS_FILES.map((file) => [file.path.split('/').pop()!, file] as const))('%s lists every provider setting, as generated', (_, file) => {
    const text = readSettingsFile(file);
    expect(withProviderSettings(file, text)).toBe(text);
    for (const setting of PROVIDER_DEFINITIONS.flatMap((definition) => definition.settings)) expect(text).toContain(`${setting.env}`);
  });

  it('a provider added to the list and not synced makes the check fail, naming its settings', () => {
    const extra = { ...PROVIDER_DEFINITIONS[0], name: 'acme', settings: [{ env: 'ACME_API_KEY', secret: true }] };
    for (const file of PROVIDER_SETTINGS_FILES) {
      const text = readSettingsFile(file);
      const synced = withProviderSettings(file, text, [...PROVIDER_DEFINITIONS, extra]);
      expect(synced).not.toBe(text);
      expect(synced).toContain('ACME_API_KEY');
    }
  });

  it('every setting a definition reads is one it declares, and names are unique across providers', () => {
    const declared = PROVIDER_DEFINITIONS.flatMap((definition) => definition.settings.map((setting) => setting.env));
    expect(new Set(declared).size).toBe(declared.length);
    for (const definition of PROVIDER_DEFINITIONS) {
      const read: string[] = [];
      const env = new Proxy({}, { get: (_, name) => (typeof name === 'string' && read.push(name), undefined) });
      definition.readSettings(new EnvReader(env));
      expect({ provider: definition.name, read: [...new Set(read)].sort() }).toEqual({ provider: definition.name, read: definition.settings.map((s) => s.env).sort() });
    }
  });

  it('names, slugs and the webhook and simulator paths are unique and well-formed', () => {
    const names = PROVIDER_DEFINITIONS.map((d) => d.name);
    const slugs = PROVIDER_DEFINITIONS.map((d) => d.slug);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const definition of PROVIDER_DEFINITIONS) {
      expect(definition.name).toMatch(/^[a-z][a-z0-9_]*$/);
      // The webhook route turns the slug back into the name.
      expect(definition.slug.replace(/-/g, '_')).toBe(definition.name);
    }
  });
});
