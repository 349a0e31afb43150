import { Module } from '@nestjs/common';
import { providerModule } from './provider-module';
import { PROVIDER_DEFINITIONS } from './provider-list';

/**
 * Every provider, each one module made from its definition by the one factory: it registers its
 * PaymentProvider into the registry (or nothing, when it is not configured).
 */
@Module({ imports: PROVIDER_DEFINITIONS.map((definition) => providerModule(definition)) })
export class ProvidersModule {}
