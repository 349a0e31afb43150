import { HttpModule, HttpService } from '@nestjs/axios';
import { DynamicModule, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import { generateRsaKeyPair, SMART_GLOCAL_SERVERS, SmartGlocalClient, SmartGlocalSimulator } from '@paymux/smart-glocal';
import { Clock } from '../../clock';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { inProcessSimulatorProvider, providerMode, simulatorBaseUrl } from '../simulated-or-real';
import { PayPageController } from './pay-page.controller';
import { SmartGlocalPaymentProvider } from './smart-glocal.provider';

export const SMART_GLOCAL_SIMULATOR_PREFIX = '/simulators/smart-glocal';
export const SMART_GLOCAL_SIMULATOR = Symbol('SMART_GLOCAL_SIMULATOR');

interface SimulatorSetup {
  simulator: SmartGlocalSimulator;
  /** The merchant key pair generated for this start: the simulator knows the public half. */
  merchantPrivateKeyPem: string;
}

/**
 * Smart Glocal for the facade: the real API when SMART_GLOCAL_PROJECT and both keys are set;
 * else (outside production) its simulator in this process, with a merchant key pair generated
 * at start and both public keys wired automatically.
 */
@Module({})
export class SmartGlocalModule {
  static forRoot(): DynamicModule {
    return {
      module: SmartGlocalModule,
      imports: [HttpModule],
      controllers: [PayPageController],
      providers: [
        inProcessSimulatorProvider<SimulatorSetup>(SMART_GLOCAL_SIMULATOR, 'Smart Glocal', SMART_GLOCAL_SIMULATOR_PREFIX, (setup) => setup.simulator),
        {
          provide: SMART_GLOCAL_SIMULATOR,
          inject: [APP_CONFIG, Clock],
          useFactory: (config: AppConfig, clock: Clock): SimulatorSetup | null => {
            if (providerMode(config, 'Smart Glocal', config.smartGlocal.project !== null) !== 'simulator') return null;
            const merchant = generateRsaKeyPair();
            const simulator = new SmartGlocalSimulator({
              basePath: SMART_GLOCAL_SIMULATOR_PREFIX,
              project: 'paymux-dev',
              merchantPublicKeyPem: merchant.publicKeyPem,
              notificationUrl: `${config.publicUrl}/v1/webhooks/smart-glocal`,
              // The simulated account is set up like the real one paymux talks to.
              autoConfirmation: config.smartGlocal.autoConfirmation,
              clock,
            });
            return { simulator, merchantPrivateKeyPem: merchant.privateKeyPem };
          },
        },
        {
          provide: SmartGlocalPaymentProvider,
          inject: [APP_CONFIG, HttpService, Clock, PROVIDER_REGISTRY, SMART_GLOCAL_SIMULATOR],
          useFactory: (config: AppConfig, http: HttpService, clock: Clock, registry: ProviderRegistry, setup: SimulatorSetup | null) => {
            const sg = config.smartGlocal;
            const connection = setup
              ? { baseUrl: simulatorBaseUrl(config, SMART_GLOCAL_SIMULATOR_PREFIX), project: 'paymux-dev', privateKeyPem: setup.merchantPrivateKeyPem, publicKeyPem: setup.simulator.publicKeyPem }
              : sg.project
                ? { baseUrl: sg.baseUrl ?? SMART_GLOCAL_SERVERS.live, project: sg.project, privateKeyPem: sg.privateKeyPem!, publicKeyPem: sg.publicKeyPem! }
                : null;
            if (!connection) return null;
            const client = new SmartGlocalClient({ baseUrl: connection.baseUrl, project: connection.project, privateKeyPem: connection.privateKeyPem, timeoutMs: config.providerTimeoutMs, http: http.axiosRef });
            const provider = new SmartGlocalPaymentProvider({
              client,
              smartGlocalPublicKeyPem: connection.publicKeyPem,
              payPageUrl: (id) => `${config.publicUrl}/pay/${id}`,
              allowCardData: sg.allowCardData,
              autoConfirmation: sg.autoConfirmation,
              clock,
            });
            registry.register(provider);
            return provider;
          },
        },
      ],
      exports: [SMART_GLOCAL_SIMULATOR],
    };
  }
}
