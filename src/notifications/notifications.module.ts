import { Module } from '@nestjs/common';
import { EVENT_ACTIONS } from '../admin/event-actions';
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
    // The admin panel's Redeliver calls the same service as the REST API.
    { provide: EVENT_ACTIONS, useExisting: EventsService },
  ],
  exports: [EVENT_ACTIONS, EventsService, WebhookEndpointsService, DeliverNotificationsJob, DestinationPolicy],
})
export class NotificationsModule {}
