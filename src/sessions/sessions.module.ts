import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { Outbox } from '../notifications/outbox';
import { RoutingModule } from '../routing/routing.module';
import { SessionTransitions } from './session-transitions';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [NotificationsModule, RoutingModule],
  controllers: [SessionsController],
  providers: [
    SessionsService,
    SessionTransitions,
    Outbox,
  ],
  exports: [SessionsService, SessionTransitions, Outbox],
})
export class SessionsModule {}
