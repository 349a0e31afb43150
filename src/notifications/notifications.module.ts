import { Module } from '@nestjs/common';
import { DeliverNotificationsJob } from './deliver-notifications.job';
import { DeliveryClaims } from './delivery-claims';
import { DestinationPolicy } from './destination-policy';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { HostResolver } from './host-resolver';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSender } from './webhook-sender';

/** Outbound notifications: endpoints API, events API, and the delivery job. */
@Module({
  controllers: [WebhookEndpointsController, EventsController],
  providers: [
    WebhookEndpointsService,
    EventsService,
    HostResolver,
    DestinationPolicy,
    WebhookSender,
    DeliveryClaims,
    DeliverNotificationsJob,
  ],
  exports: [EventsService, WebhookEndpointsService, DeliverNotificationsJob, DestinationPolicy],
})
export class NotificationsModule {}
