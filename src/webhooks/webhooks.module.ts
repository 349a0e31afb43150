import { Module } from '@nestjs/common';
import { RefundsModule } from '../refunds/refunds.module';
import { SessionsModule } from '../sessions/sessions.module';
import { InboundWebhooksController } from './inbound-webhooks.controller';
import { InboundWebhooksService } from './inbound-webhooks.service';

@Module({ imports: [SessionsModule, RefundsModule], controllers: [InboundWebhooksController], providers: [InboundWebhooksService] })
export class WebhooksModule {}
