import { EntityManager } from '@mikro-orm/core';
import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isTerminal, NotFound, PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { Public } from '../../http/public.decorator';
import { isSessionId, returnRelayUrl } from '../../sessions/buyer-return';
import { Session } from '../../sessions/session.entity';
import { PurchaseSummary, renderOutcomePage } from './pay-page';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    const session = provider && isSessionId(id) ? await this.em.fork().findOne(Session, { id, provider: 'smart_glocal' }) : null;
    if (!session || !session.providerSessionId) throw new NotFound('payment page', id);
    const backUrl = returnRelayUrl(this.config.publicUrl, session.id);
    // Paid: straight on to the shop (the relay adds paymux_session_id).
    if (session.status === 'succeeded') return void (await reply.redirect(backUrl, 303));
    const purchase = purchaseOf(session);
    const html = !isTerminal(session.status)
      ? await provider!.renderHostedPayPage({ providerSessionId: session.providerSessionId, backUrl, purchase, locale: session.locale })
      : renderOutcomePage({ outcome: outcomeOf(session), reason: session.failure?.message ?? null, backUrl, purchase });
    await reply.type('text/html; charset=utf-8').send(html);
  }
}

function outcomeOf(session: Session): 'declined' | 'closed' | 'unsettled' {
  if (session.status !== 'failed') return 'closed';
  return session.amountMismatch ? 'unsettled' : 'declined';
}

/** paymux has no shop name of its own for a merchant: the buyer knows the shop by its address. */
function purchaseOf(session: Session): PurchaseSummary {
  return { amount: session.amount, currency: session.currency, description: session.description, merchant: new URL(session.returnUrl).host };
}
