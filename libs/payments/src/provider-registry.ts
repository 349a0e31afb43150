import { InvalidRequest } from './errors';
import type { PaymentProvider } from './provider';

/** Injection token under which the application exposes the one registry. */
export const PROVIDER_REGISTRY = Symbol('PROVIDER_REGISTRY');

/**
 * The providers this process can use. Provider modules register themselves at start-up; the
 * sessions facade looks them up by name or routes among them by capability.
 */
export class ProviderRegistry {
  private readonly providers = new Map<string, PaymentProvider>();

  register(provider: PaymentProvider): void {
    if (this.providers.has(provider.name)) throw new Error(`Provider ${provider.name} is registered twice`);
    this.providers.set(provider.name, provider);
  }

  has(name: string): boolean {
    return this.providers.has(name);
  }

  get(name: string): PaymentProvider {
    const provider = this.providers.get(name);
    if (!provider) {
      throw new InvalidRequest('provider', `provider must be one of ${this.names().join(', ')}`);
    }
    return provider;
  }

  names(): string[] {
    return [...this.providers.keys()];
  }

  all(): PaymentProvider[] {
    return [...this.providers.values()];
  }
}
