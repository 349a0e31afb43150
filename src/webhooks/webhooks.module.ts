import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { InboundWebhooksController } from './inbound-webhooks.controller';
import { InboundWebhooksService } from './inbound-webhooks.service';

@Module({ imports: [SessionsModule], controllers: [InboundWebhooksController], providers: [InboundWebhooksService] })
export class WebhooksModule {}
