import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CustomersModule } from '../customers/customers.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { Outbox } from '../notifications/outbox';
import { RoutingModule } from '../routing/routing.module';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';
import { ProviderReports } from './provider-reports';
import { SessionTransitions } from './session-transitions';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [NotificationsModule, RoutingModule, CustomersModule],
  controllers: [SessionsController],
  providers: [
    SessionsService,
    ProviderReports,
    SessionTransitions,
    IdempotencyService,
    Outbox,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [SessionsService, ProviderReports, SessionTransitions, IdempotencyService, Outbox],
})
export class SessionsModule {}
