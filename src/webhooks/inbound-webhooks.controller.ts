import { Controller, HttpCode, Param, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InvalidRequest } from '@paymux/payments';
import type { FastifyRequest } from 'fastify';
import { Public } from '../http/public.decorator';
import { InboundWebhooksService } from './inbound-webhooks.service';

/** `POST /v1/webhooks/<provider>`: no API key; the provider's signature on the raw body decides. */
@ApiExcludeController()
@Public()
@Controller('v1/webhooks')
export class InboundWebhooksController {
  constructor(private readonly webhooks: InboundWebhooksService) {}

  @Post(':provider')
  @HttpCode(200)
  async receive(@Param('provider') provider: string, @Req() request: RawBodyRequest<FastifyRequest>) {
    if (!request.rawBody || request.rawBody.length === 0) throw new InvalidRequest(undefined, 'Callback body is empty', 'body_missing');
    const outcome = await this.webhooks.receive(provider, request.rawBody, request.headers);
    return { received: true, outcome };
  }
}
