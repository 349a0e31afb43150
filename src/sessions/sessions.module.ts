import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { Outbox } from '../notifications/outbox';
import { RoutingModule } from '../routing/routing.module';
import { ProviderReports } from './provider-reports';
import { ReturnRelayController } from './return-relay.controller';
import { SessionMetrics } from './session-metrics';
import { CaptureHolds } from './capture-holds';
import { SessionCapture } from './session-capture';
import { SessionTransitions } from './session-transitions';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [NotificationsModule, RoutingModule, CustomersModule],
  controllers: [SessionsController, ReturnRelayController],
  providers: [
    SessionsService,
    ProviderReports,
    SessionTransitions,
    SessionMetrics,
    SessionCapture,
    CaptureHolds,
    Outbox,
  ],
  exports: [SessionsService, ProviderReports, SessionCapture, SessionTransitions, Outbox],
})
export class SessionsModule {}
