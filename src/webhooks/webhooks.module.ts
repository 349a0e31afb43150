import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { SessionsModule } from '../sessions/sessions.module';
import { InboundWebhooksController } from './inbound-webhooks.controller';
import { InboundWebhooksService } from './inbound-webhooks.service';

@Module({ imports: [SessionsModule, RoutingModule], controllers: [InboundWebhooksController], providers: [InboundWebhooksService] })
export class WebhooksModule {}
