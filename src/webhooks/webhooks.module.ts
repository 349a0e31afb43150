import { Module } from '@nestjs/common';
import { RefundsModule } from '../refunds/refunds.module';
import { RoutingModule } from '../routing/routing.module';
import { SessionsModule } from '../sessions/sessions.module';
import { InboundWebhooksController } from './inbound-webhooks.controller';
import { InboundWebhooksService } from './inbound-webhooks.service';

@Module({ imports: [SessionsModule, RefundsModule, RoutingModule], controllers: [InboundWebhooksController], providers: [InboundWebhooksService] })
export class WebhooksModule {}
