import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { NotificationsModule } from '../notifications/notifications.module';
import { Outbox } from '../notifications/outbox';
import { RoutingModule } from '../routing/routing.module';
import { CaptureHolds } from './capture-holds';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';
import { SessionCapture } from './session-capture';
import { SessionTransitions } from './session-transitions';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [NotificationsModule, RoutingModule],
  controllers: [SessionsController],
  providers: [
    SessionsService,
    SessionTransitions,
    SessionCapture,
    CaptureHolds,
    IdempotencyService,
    Outbox,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [SessionsService, SessionCapture, SessionTransitions, IdempotencyService, Outbox],
})
export class SessionsModule {}
