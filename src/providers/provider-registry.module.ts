import { Global, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';

/**
 * The one registry provider modules register into and the sessions facade reads: one per
 * application, so several apps in one process (tests of many instances) each have their own.
 */
@Global()
@Module({
  providers: [{ provide: PROVIDER_REGISTRY, useFactory: () => new ProviderRegistry() }],
  exports: [PROVIDER_REGISTRY],
})
export class ProviderRegistryModule {}
