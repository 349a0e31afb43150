import { Global, Module } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';

/**
 * The one registry provider modules register into and the sessions facade reads. Made per
 * application, not per process: a second app in one process (tests, tools) starts empty.
 */
@Global()
@Module({
  providers: [{ provide: PROVIDER_REGISTRY, useFactory: () => new ProviderRegistry() }],
  exports: [PROVIDER_REGISTRY],
})
export class ProviderRegistryModule {}
