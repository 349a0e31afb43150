import { Global, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';

/** The one registry provider modules register into and the sessions facade reads. */
@Global()
@Module({
  providers: [{ provide: PROVIDER_REGISTRY, useValue: new ProviderRegistry() }],
  exports: [PROVIDER_REGISTRY],
})
export class ProviderRegistryModule {}
