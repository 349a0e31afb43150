import { Global, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';

/**
 * The one registry provider modules register into and the sessions facade reads. One per
 * application (a factory, not a module-level value), so two apps in one process never share it.
 */
@Global()
@Module({
  providers: [{ provide: PROVIDER_REGISTRY, useFactory: () => new ProviderRegistry() }],
  exports: [PROVIDER_REGISTRY],
})
export class ProviderRegistryModule {}
