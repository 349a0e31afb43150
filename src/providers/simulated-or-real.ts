import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config';

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

export function simulatorBaseUrl(config: AppConfig, prefix: string): string {
  return `${config.publicUrl}${prefix}`;
}
