import { KOMOJU_SIMULATOR_API_PATH, KOMOJU_WEBHOOK_HEADERS, KomojuClient, KomojuSimulator } from '@paymux/komoju';
import { requireAllOrNone } from '../../config/env-reader';
import type { ProviderDefinition, SimulatedProvider } from '../provider-definition';
import { simulatorSecret } from '../simulated-or-real';
import { KomojuPaymentProvider } from './komoju.provider';

export interface KomojuSettings {
  baseUrl: string | null;
  secretKey: string | null;
  webhookSecret: string | null;
}

export interface KomojuSimulatorSetup extends SimulatedProvider {
  simulator: KomojuSimulator;
}

const KOMOJU_API = 'https://komoju.com/api/v1';

/**
 * KOMOJU for the facade: the real API when KOMOJU_SECRET_KEY and KOMOJU_WEBHOOK_SECRET are set
 * (the webhook URL PUBLIC_URL/v1/webhooks/komoju is configured in KOMOJU's dashboard), else
 * (outside production) its simulator in this process, already pointed at that URL.
 */
export const KOMOJU_DEFINITION: ProviderDefinition<KomojuSettings, KomojuSimulatorSetup> = {
  name: 'komoju',
  label: 'KOMOJU',
  slug: 'komoju',
  settings: [
    { env: 'KOMOJU_BASE_URL', description: `KOMOJU API base URL (default ${KOMOJU_API})` },
    { env: 'KOMOJU_SECRET_KEY', description: 'KOMOJU credentials: both or none', secret: true },
    { env: 'KOMOJU_WEBHOOK_SECRET', secret: true },
  ],
  readSettings(read) {
    const settings: KomojuSettings = {
      baseUrl: read.optionalUrl('KOMOJU_BASE_URL'),
      secretKey: read.optional('KOMOJU_SECRET_KEY'),
      webhookSecret: read.optional('KOMOJU_WEBHOOK_SECRET'),
    };
    requireAllOrNone('KOMOJU', { KOMOJU_SECRET_KEY: settings.secretKey, KOMOJU_WEBHOOK_SECRET: settings.webhookSecret });
    return settings;
  },
  hasCredentials: (settings) => settings.secretKey !== null,
  webhookHeaders: ['x-komoju-*'],
  secretHeaders: [KOMOJU_WEBHOOK_HEADERS.signature.toLowerCase()],
  simulate({ clock }, _settings, place) {
    const simulator = new KomojuSimulator({
      basePath: place.prefix,
      secretKey: `sk_test_${simulatorSecret()}`,
      webhookSecret: simulatorSecret(),
      webhookUrl: place.webhookUrl,
      publicUrl: place.baseUrl,
      clock,
    });
    return { simulator };
  },
  connect({ config, clock, http }, settings, simulated) {
    const connection = simulated
      ? { baseUrl: simulated.place.baseUrl + KOMOJU_SIMULATOR_API_PATH, ...simulated.setup.simulator.credentials }
      : { baseUrl: settings.baseUrl ?? KOMOJU_API, secretKey: settings.secretKey!, webhookSecret: settings.webhookSecret! };
    const client = new KomojuClient({ baseUrl: connection.baseUrl, secretKey: connection.secretKey, timeoutMs: config.providerTimeoutMs, http });
    return new KomojuPaymentProvider({ client, webhookSecret: connection.webhookSecret, clock });
  },
};

export default KOMOJU_DEFINITION;
