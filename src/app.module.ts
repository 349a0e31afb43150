import { DynamicModule, Global, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { BenchRoutesModule } from './bench/bench-routes.module';
import type { AppConfig } from './config/config';
import { AppConfigModule } from './config/config.module';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { AppLogger, createLogger } from './http/logging';
import { NotificationsModule } from './notifications/notifications.module';
import { SimulatorMounts } from './http/simulator-mounts';
import { ProductsModule } from './products/products.module';
import { ClockModule } from './clock';
import { JobRegistryModule } from './jobs/job-registry.module';
import { JobsModule } from './jobs/jobs.module';
import { ProviderRegistryModule } from './providers/provider-registry.module';
import { ProvidersModule } from './providers/providers.module';
import { IdempotencyModule } from './sessions/idempotency.module';
import { RefundsModule } from './refunds/refunds.module';
import { SessionsModule } from './sessions/sessions.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Global()
@Module({ providers: [SimulatorMounts], exports: [SimulatorMounts] })
class HttpSupportModule {}

/** The process's logger (see http/logging.ts), for Nest and for the request hooks. */
@Global()
@Module({})
class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: AppLogger, useValue: new AppLogger(createLogger(config)) }], exports: [AppLogger] };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot(config),
        HttpSupportModule,
        ClockModule,
        ProviderRegistryModule,
        JobRegistryModule,
        HealthModule,
        ApiKeysModule,
        IdempotencyModule,
        ProductsModule,
        CustomersModule,
        SessionsModule,
        RefundsModule,
        WebhooksModule,
        ProvidersModule,
        JobsModule,
        NotificationsModule,
        ...(config.benchRoutes ? [BenchRoutesModule] : []),
        ...(config.admin.enabled ? [AdminModule.forRoot()] : []),
      ],
    };
  }
}
