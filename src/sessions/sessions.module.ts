import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { NotificationsModule } from '../notifications/notifications.module';
import { Outbox } from '../notifications/outbox';
import { RoutingModule } from '../routing/routing.module';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';
import { ReturnRelayController } from './return-relay.controller';
import { SessionMetrics } from './session-metrics';
import { SessionTransitions } from './session-transitions';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [NotificationsModule, RoutingModule],
  controllers: [SessionsController, ReturnRelayController],
  providers: [
    SessionsService,
    SessionTransitions,
    SessionMetrics,
    IdempotencyService,
    Outbox,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [SessionsService, SessionTransitions, IdempotencyService, Outbox],
})
export class SessionsModule {}
