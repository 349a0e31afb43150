import { SpayonClient, SpayonSimulator } from '@paymux/spayon';
import { requireAllOrNone } from '../../config/env-reader';
import type { ProviderDefinition, SimulatedProvider } from '../provider-definition';
import { simulatorSecret } from '../simulated-or-real';
import { SPAYON } from './mapping';
import { SpayonPaymentProvider } from './spayon.provider';

export interface SpayonSettings {
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
  callbackSecret: string | null;
}

export interface SpayonSimulatorSetup extends SimulatedProvider {
  simulator: SpayonSimulator;
  /** Credentials made up for this start; the simulator knows them, nothing prints them. */
  credentials: { clientId: string; clientSecret: string; callbackSecret: string };
}

/** Products the simulated vendor panel has, so the product_id option can be tried locally. */
export const SPAYON_SIMULATOR_PRODUCTS = [
  { id: 1, name: 'Sample product (1000.00 AMD)', price: '1000.00', currency: 'AMD' },
  { id: 2, name: 'Sample product (25.00 USD)', price: '25.00', currency: 'USD' },
];

/**
 * Spayon for the facade: the real API when SPAYON_CLIENT_ID/SECRET/CALLBACK_SECRET are set, else
 * (outside production) the simulator mounted at /simulators/spayon in this process.
 */
export const SPAYON_DEFINITION: ProviderDefinition<SpayonSettings, SpayonSimulatorSetup> = {
  name: SPAYON,
  label: 'Spayon',
  slug: 'spayon',
  settings: [
    { env: 'SPAYON_BASE_URL', description: 'Spayon API base URL (default https://api.spayon.io)' },
    { env: 'SPAYON_CLIENT_ID', description: "Spayon credentials: all three or none (paymux names the missing one)" },
    { env: 'SPAYON_CLIENT_SECRET', secret: true },
    { env: 'SPAYON_CALLBACK_SECRET', secret: true },
  ],
  readSettings(read) {
    const settings: SpayonSettings = {
      baseUrl: read.optionalUrl('SPAYON_BASE_URL'),
      clientId: read.optional('SPAYON_CLIENT_ID'),
      clientSecret: read.optional('SPAYON_CLIENT_SECRET'),
      callbackSecret: read.optional('SPAYON_CALLBACK_SECRET'),
    };
    requireAllOrNone('SPAYON', { SPAYON_CLIENT_ID: settings.clientId, SPAYON_CLIENT_SECRET: settings.clientSecret, SPAYON_CALLBACK_SECRET: settings.callbackSecret });
    return settings;
  },
  hasCredentials: (settings) => settings.clientId !== null,
  webhookHeaders: ['x-signature'],
  secretHeaders: ['x-signature'],
  simulate({ clock }, _settings, place) {
    const credentials = { clientId: 'paymux-dev', clientSecret: simulatorSecret(), callbackSecret: simulatorSecret() };
    const simulator = new SpayonSimulator({ basePath: place.prefix, ...credentials, clock, products: SPAYON_SIMULATOR_PRODUCTS });
    return { simulator, credentials };
  },
  connect({ config, clock, http }, settings, simulated) {
    const connection = simulated
      ? { baseUrl: simulated.place.baseUrl, ...simulated.setup.credentials }
      : { baseUrl: settings.baseUrl ?? 'https://api.spayon.io', clientId: settings.clientId!, clientSecret: settings.clientSecret!, callbackSecret: settings.callbackSecret! };
    const client = new SpayonClient({ baseUrl: connection.baseUrl, clientId: connection.clientId, clientSecret: connection.clientSecret, timeoutMs: config.providerTimeoutMs, http, clock });
    return new SpayonPaymentProvider({ client, callbackSecret: connection.callbackSecret, production: config.production, clock });
  },
};

export default SPAYON_DEFINITION;
