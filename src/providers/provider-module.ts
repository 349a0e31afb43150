import { HttpModule, HttpService } from '@nestjs/axios';
import { DynamicModule, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { AnyProviderDefinition, ProviderEnvironment, SimulatedProvider, SimulatorPlace } from './provider-definition';
import { settingsOf } from './provider-definition';
import { inProcessSimulatorProvider, providerMode } from './simulated-or-real';

/** The token under which a provider's in-process simulator setup (or null) is provided. */
export function simulatorToken(definition: Pick<AnyProviderDefinition, 'name'>): symbol {
  return Symbol.for(`paymux.simulator.${definition.name}`);
}

export function simulatorPlace(config: AppConfig, definition: Pick<AnyProviderDefinition, 'slug'>): SimulatorPlace {
  const prefix = `/simulators/${definition.slug}`;
  return { prefix, baseUrl: `${config.publicUrl}${prefix}`, webhookUrl: `${config.publicUrl}/v1/webhooks/${definition.slug}` };
}

/**
 * The one Nest module every provider is: from its definition, either its simulator served in this
 * process (no credentials, outside production) or its real API, and its PaymentProvider registered
 * with the facade — or nothing at all when it is not configured in production.
 */
export function providerModule(definition: AnyProviderDefinition): DynamicModule {
  const token = simulatorToken(definition);
  const host = { [`${definition.label.replace(/[^A-Za-z0-9]/g, '')}ProviderModule`]: class {} };
  const moduleClass = Object.values(host)[0];
  Module({})(moduleClass);
  const environment = (config: AppConfig, clock: Clock, http: HttpService): ProviderEnvironment => ({ config, clock, http: http.axiosRef });
  return {
    module: moduleClass,
    imports: [HttpModule],
    controllers: [...(definition.controllers ?? [])],
    providers: [
      inProcessSimulatorProvider<SimulatedProvider>(token, definition.label, `/simulators/${definition.slug}`, (setup) => setup.simulator),
      {
        provide: token,
        inject: [APP_CONFIG, Clock, HttpService],
        useFactory: (config: AppConfig, clock: Clock, http: HttpService): SimulatedProvider | null => {
          const settings = settingsOf(config, definition);
          if (providerMode(config, definition.label, definition.hasCredentials(settings)) !== 'simulator') return null;
          return definition.simulate(environment(config, clock, http), settings, simulatorPlace(config, definition));
        },
      },
      {
        provide: Symbol(`${definition.label} payment provider`),
        inject: [APP_CONFIG, Clock, HttpService, PROVIDER_REGISTRY, token],
        useFactory: (config: AppConfig, clock: Clock, http: HttpService, registry: ProviderRegistry, setup: SimulatedProvider | null) => {
          const settings = settingsOf(config, definition);
          if (!setup && !definition.hasCredentials(settings)) return null;
          const provider = definition.connect(environment(config, clock, http), settings, setup ? { setup, place: simulatorPlace(config, definition) } : null);
          registry.register(provider);
          return provider;
        },
      },
    ],
    exports: [token],
  };
}
