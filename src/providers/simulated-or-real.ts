import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FactoryProvider, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { SimulatorMounts } from '../http/simulator-mounts';

export type ProviderMode = 'real' | 'simulator' | 'disabled';

/**
 * A provider runs against its real API when its credentials are configured; otherwise, outside
 * production, against its simulator served by this process; in production without credentials
 * it is not offered at all.
 */
export function providerMode(config: AppConfig, label: string, hasCredentials: boolean): ProviderMode {
  if (hasCredentials) return 'real';
  if (config.simulatorsEnabled) return 'simulator';
  new Logger('providers').warn(`${label} has no credentials and simulators are off: it is not offered`);
  return 'disabled';
}

/** Credentials for an in-process simulator: random per start, never printed. */
export function simulatorSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** What a provider simulator offers to be served inside this process. */
export interface MountableSimulator {
  readonly http: { handle(req: IncomingMessage, res: ServerResponse): Promise<void> };
  close(): Promise<void>;
}

/**
 * A provider's simulator served by this process for the application's lifetime: mounted at
 * `prefix` at start-up (listed in the start-up banner), closed at shutdown.
 */
export class InProcessSimulator implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly mounts: SimulatorMounts,
    private readonly config: AppConfig,
    private readonly label: string,
    private readonly prefix: string,
    private readonly simulator: MountableSimulator,
  ) {}

  onModuleInit(): void {
    this.mounts.add({ prefix: this.prefix, label: this.label, handle: (req, res) => this.simulator.http.handle(req, res) });
    new Logger('providers').log(`${this.label} runs against its simulator at ${this.config.publicUrl}${this.prefix}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.simulator.close();
  }
}

/**
 * The Nest provider that serves the simulator a module's `simulatorToken` holds (if any) — so a
 * provider module needs no lifecycle code of its own.
 */
export function inProcessSimulatorProvider<Setup>(
  simulatorToken: symbol,
  label: string,
  prefix: string,
  simulatorOf: (setup: Setup) => MountableSimulator,
): FactoryProvider {
  return {
    provide: Symbol(`${label} simulator mount`),
    inject: [simulatorToken, SimulatorMounts, APP_CONFIG],
    useFactory: (setup: Setup | null, mounts: SimulatorMounts, config: AppConfig) =>
      setup ? new InProcessSimulator(mounts, config, label, prefix, simulatorOf(setup)) : null,
  };
}
