import { Module } from '@nestjs/common';
import { KomojuModule } from './komoju/komoju.module';
import { SmartGlocalModule } from './smart-glocal/smart-glocal.module';
import { SpayonModule } from './spayon/spayon.module';

/**
 * Every provider module. Adding a provider is one lib plus one module listed here; each module
 * registers its PaymentProvider into the registry (or nothing, when it is not configured).
 */
@Module({ imports: [SpayonModule.forRoot(), SmartGlocalModule.forRoot(), KomojuModule.forRoot()] })
export class ProvidersModule {}
