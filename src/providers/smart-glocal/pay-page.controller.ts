import { EntityManager } from '@mikro-orm/core';
import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isTerminal, NotFound, PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import type { FastifyReply } from 'fastify';
import { Public } from '../../http/public.decorator';
import { Session } from '../../sessions/session.entity';
import { SmartGlocalPaymentProvider } from './smart-glocal.provider';

/**
 * The hosted flow's page: Smart Glocal has no redirect URL of its own, so a Smart Glocal
 * session's redirect_url points here, and this page loads Smart Glocal's payment widget with a
 * fresh public token (providers/smart-glocal.md, "The hosted flow").
 */
@ApiExcludeController()
@Public()
@Controller('pay')
export class PayPageController {
  constructor(
    private readonly em: EntityManager,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  /** Smart Glocal as registered in this instance, or null when it is not configured. */
  private get provider(): SmartGlocalPaymentProvider | null {
    const provider = this.registry.has('smart_glocal') ? this.registry.get('smart_glocal') : null;
    return provider instanceof SmartGlocalPaymentProvider ? provider : null;
  }

  @Get(':id')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async page(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const provider = this.provider;
    const session = provider && /^sess_[0-9A-Z]{26}$/.test(id) ? await this.em.fork().findOne(Session, { id, provider: 'smart_glocal' }) : null;
    if (!session || !session.providerSessionId) throw new NotFound('payment page', id);
    const html =
      !isTerminal(session.status)
        ? await provider!.renderHostedPayPage({ providerSessionId: session.providerSessionId, returnUrl: session.returnUrl, locale: session.locale })
        : closedPage(session);
    await reply.type('text/html; charset=utf-8').send(html);
  }
}

function closedPage(session: Session): string {
  const back = session.returnUrl.replace(/"/g, '%22');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Payment</title></head>
<body><p>This payment is ${session.status === 'succeeded' ? 'already complete' : 'no longer open'}.</p><p><a href="${back}">Back to the shop</a></p></body></html>`;
}
