import type { Type } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import type { PaymentProvider } from '@paymux/payments';
import type { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import type { EnvReader } from '../config/env-reader';
import type { MountableSimulator } from './simulated-or-real';

/** One environment variable a provider reads; `.env.example` and `docker-compose.yml` list it. */
export interface ProviderSetting {
  readonly env: string;
  /** What `.env.example` says of it, on the line above. */
  readonly description?: string;
  /** A credential: its value is never logged, printed or returned. */
  readonly secret?: boolean;
  /** The value `.env.example` and the compose file give it (empty when none). */
  readonly example?: string;
}

/** What a provider's connection is built with, beside its own settings. */
export interface ProviderEnvironment {
  readonly config: AppConfig;
  readonly clock: Clock;
  /** The application's HTTP client (@nestjs/axios). */
  readonly http: AxiosInstance;
}

/** Where the in-process simulator is served, and where it sends its callbacks. */
export interface SimulatorPlace {
  /** `PUBLIC_URL/simulators/<slug>`: the base URL the client talks to. */
  readonly baseUrl: string;
  /** `/simulators/<slug>`: the simulator's base path. */
  readonly prefix: string;
  /** `PUBLIC_URL/v1/webhooks/<slug>`. */
  readonly webhookUrl: string;
}

/** An in-process simulator and whatever its client needs to reach it (credentials made up per start). */
export interface SimulatedProvider {
  readonly simulator: MountableSimulator;
}

/**
 * Everything the application knows of one provider, in the provider's own folder: its names, its
 * settings (env names, validation, secrets), the webhook headers worth keeping, how to start its
 * simulator and how to connect its client. Config, logging, webhooks, DTOs, docs and the one
 * module factory (`providerModule`) read these; nothing else names a provider.
 */
export interface ProviderDefinition<Settings = unknown, Simulated extends SimulatedProvider = SimulatedProvider> {
  /** The API's and the registry's name (`smart_glocal`): `provider`, `PROVIDERS_ORDER`. */
  readonly name: string;
  /** For people: logs, the start-up banner (`Smart Glocal`). */
  readonly label: string;
  /** The URL segment (`smart-glocal`): `/v1/webhooks/<slug>`, `/simulators/<slug>`. */
  readonly slug: string;
  readonly settings: readonly ProviderSetting[];
  /** Reads and checks the settings; a wrong value throws ConfigError naming the variable. */
  readSettings(read: EnvReader): Settings;
  /** The real API is used when these are configured; else the simulator (outside production). */
  hasCredentials(settings: Settings): boolean;
  /** Lower-case names of the callback headers kept for audit (a trailing `*` matches a prefix). */
  readonly webhookHeaders: readonly string[];
  /** Request headers never logged (signatures). */
  readonly secretHeaders: readonly string[];
  /** Controllers the provider serves besides the shared webhook route (e.g. a payment page). */
  readonly controllers?: readonly Type[];
  /** Starts the simulator for a start without credentials. */
  simulate(env: ProviderEnvironment, settings: Settings, place: SimulatorPlace): Simulated;
  /** The facade's provider: against the simulator when `simulated` is given, else the real API. */
  connect(env: ProviderEnvironment, settings: Settings, simulated: { setup: Simulated; place: SimulatorPlace } | null): PaymentProvider;
}

/** Any provider's definition, as the list holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProviderDefinition = ProviderDefinition<any, any>;

/** A definition's settings in a loaded config. */
export function settingsOf<Settings>(config: AppConfig, definition: Pick<ProviderDefinition<Settings>, 'name' | 'readSettings'>): Settings {
  return config.providerSettings[definition.name] as Settings;
}
