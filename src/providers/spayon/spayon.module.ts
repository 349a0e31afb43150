import { HttpModule, HttpService } from '@nestjs/axios';
import { DynamicModule, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import { SpayonClient, SpayonSimulator } from '@paymux/spayon';
import { Clock } from '../../clock';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { inProcessSimulatorProvider, providerMode, simulatorBaseUrl, simulatorSecret } from '../simulated-or-real';
import { SpayonPaymentProvider } from './spayon.provider';

export const SPAYON_SIMULATOR_PREFIX = '/simulators/spayon';
/** The in-process simulator, when one runs (tests reach it through this token). */
export const SPAYON_SIMULATOR = Symbol('SPAYON_SIMULATOR');

export interface SpayonSimulatorSetup {
  simulator: SpayonSimulator;
  /** Credentials made up for this start; the simulator knows them, nothing prints them. */
  credentials: { clientId: string; clientSecret: string; callbackSecret: string };
}

/** Products the simulated vendor panel has, so the product_id option can be tried locally. */
const SIMULATOR_PRODUCTS = [
  { id: 1, name: 'Sample product (1000.00 AMD)', price: '1000.00', currency: 'AMD' },
  { id: 2, name: 'Sample product (25.00 USD)', price: '25.00', currency: 'USD' },
];

/**
 * Spayon for the facade: the real API when SPAYON_CLIENT_ID/SECRET/CALLBACK_SECRET are set,
 * else (outside production) the simulator mounted at /simulators/spayon in this process.
 */
@Module({})
export class SpayonModule {
  static forRoot(): DynamicModule {
    return {
      module: SpayonModule,
      imports: [HttpModule],
      providers: [
        inProcessSimulatorProvider<SpayonSimulatorSetup>(SPAYON_SIMULATOR, 'Spayon', SPAYON_SIMULATOR_PREFIX, (setup) => setup.simulator),
        {
          provide: SPAYON_SIMULATOR,
          inject: [APP_CONFIG, Clock],
          useFactory: (config: AppConfig, clock: Clock): SpayonSimulatorSetup | null => {
            if (providerMode(config, 'Spayon', config.spayon.clientId !== null) !== 'simulator') return null;
            const credentials = { clientId: 'paymux-dev', clientSecret: simulatorSecret(), callbackSecret: simulatorSecret() };
            const simulator = new SpayonSimulator({ basePath: SPAYON_SIMULATOR_PREFIX, ...credentials, clock, products: SIMULATOR_PRODUCTS });
            return { simulator, credentials };
          },
        },
        {
          provide: SpayonPaymentProvider,
          inject: [APP_CONFIG, HttpService, Clock, PROVIDER_REGISTRY, SPAYON_SIMULATOR],
          useFactory: (config: AppConfig, http: HttpService, clock: Clock, registry: ProviderRegistry, setup: SpayonSimulatorSetup | null) => {
            const credentials = setup
              ? { baseUrl: simulatorBaseUrl(config, SPAYON_SIMULATOR_PREFIX), ...setup.credentials }
              : config.spayon.clientId
                ? { baseUrl: config.spayon.baseUrl ?? 'https://api.spayon.io', clientId: config.spayon.clientId, clientSecret: config.spayon.clientSecret!, callbackSecret: config.spayon.callbackSecret! }
                : null;
            if (!credentials) return null;
            const client = new SpayonClient({ baseUrl: credentials.baseUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret, timeoutMs: config.providerTimeoutMs, http: http.axiosRef, clock });
            const provider = new SpayonPaymentProvider({ client, callbackSecret: credentials.callbackSecret, production: config.production, clock });
            registry.register(provider);
            return provider;
          },
        },
      ],
      exports: [SPAYON_SIMULATOR],
    };
  }
}
