import { HttpModule, HttpService } from '@nestjs/axios';
import { DynamicModule, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import { KOMOJU_SIMULATOR_API_PATH, KomojuClient, KomojuSimulator } from '@paymux/komoju';
import { Clock } from '../../clock';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { inProcessSimulatorProvider, providerMode, simulatorBaseUrl, simulatorSecret } from '../simulated-or-real';
import { KomojuPaymentProvider } from './komoju.provider';

export const KOMOJU_SIMULATOR_PREFIX = '/simulators/komoju';
export const KOMOJU_SIMULATOR = Symbol('KOMOJU_SIMULATOR');
const KOMOJU_API = 'https://komoju.com/api/v1';

/**
 * KOMOJU for the facade: the real API when KOMOJU_SECRET_KEY and KOMOJU_WEBHOOK_SECRET are set
 * (the webhook URL PUBLIC_URL/v1/webhooks/komoju is configured in KOMOJU's dashboard), else
 * (outside production) its simulator in this process, already pointed at that URL.
 */
@Module({})
export class KomojuModule {
  static forRoot(): DynamicModule {
    return {
      module: KomojuModule,
      imports: [HttpModule],
      providers: [
        inProcessSimulatorProvider<KomojuSimulator>(KOMOJU_SIMULATOR, 'KOMOJU', KOMOJU_SIMULATOR_PREFIX, (simulator) => simulator),
        {
          provide: KOMOJU_SIMULATOR,
          inject: [APP_CONFIG, Clock],
          useFactory: (config: AppConfig, clock: Clock) =>
            providerMode(config, 'KOMOJU', config.komoju.secretKey !== null) === 'simulator'
              ? new KomojuSimulator({
                  basePath: KOMOJU_SIMULATOR_PREFIX,
                  secretKey: `sk_test_${simulatorSecret()}`,
                  webhookSecret: simulatorSecret(),
                  webhookUrl: `${config.publicUrl}/v1/webhooks/komoju`,
                  publicUrl: simulatorBaseUrl(config, KOMOJU_SIMULATOR_PREFIX),
                  clock,
                })
              : null,
        },
        {
          provide: KomojuPaymentProvider,
          inject: [APP_CONFIG, HttpService, Clock, PROVIDER_REGISTRY, KOMOJU_SIMULATOR],
          useFactory: (config: AppConfig, http: HttpService, clock: Clock, registry: ProviderRegistry, simulator: KomojuSimulator | null) => {
            const connection = simulator
              ? { baseUrl: simulatorBaseUrl(config, KOMOJU_SIMULATOR_PREFIX) + KOMOJU_SIMULATOR_API_PATH, ...simulator.credentials }
              : config.komoju.secretKey
                ? { baseUrl: config.komoju.baseUrl ?? KOMOJU_API, secretKey: config.komoju.secretKey, webhookSecret: config.komoju.webhookSecret! }
                : null;
            if (!connection) return null;
            const client = new KomojuClient({ baseUrl: connection.baseUrl, secretKey: connection.secretKey, timeoutMs: config.providerTimeoutMs, http: http.axiosRef });
            const provider = new KomojuPaymentProvider({ client, webhookSecret: connection.webhookSecret, clock });
            registry.register(provider);
            return provider;
          },
        },
      ],
      exports: [KOMOJU_SIMULATOR],
    };
  }
}
