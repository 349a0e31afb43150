import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvalidRequest, NotFound, ParsedWebhook, PROVIDER_REGISTRY, ProviderRegistry, WebhookHeaders, WebhookSignatureError } from '@paymux/payments';
import { Clock } from '../clock';
import { Metrics } from '../health/metrics';
import { Session } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { boundedRejectBody, checkStorableCallback, storableText } from './callback-limits';
import { InboundWebhook } from './inbound-webhook.entity';

export type InboundOutcome = 'applied' | 'unchanged' | 'illegal' | 'duplicate' | 'unknown_session' | 'ignored';

/** Header names worth keeping for audit; signatures are kept, credentials never arrive here. */
const KEPT_HEADERS = /^(content-type|user-agent|x-signature|x-partner-sign|x-partner-project|x-komoju-[a-z-]+|x-request-id)$/;

/**
 * Provider callbacks: verified on the raw bytes by the provider module, recorded, de-duplicated
 * (one row per provider notification) and applied through the sessions state machine — the
 * record and the change commit together, so a failure makes the provider retry.
 */
@Injectable()
export class InboundWebhooksService {
  private readonly logger = new Logger('webhooks');

  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    private readonly metrics: Metrics,
  ) {}

  async receive(providerPath: string, rawBody: Buffer, headers: WebhookHeaders): Promise<InboundOutcome> {
    const name = providerPath.replace(/-/g, '_');
    if (!this.registry.has(name)) throw new NotFound('webhook route', providerPath);
    const provider = this.registry.get(name);
    let parsed: ParsedWebhook;
    try {
      parsed = provider.parseWebhook(rawBody, headers);
      checkStorableCallback(parsed);
    } catch (error) {
      if (error instanceof WebhookSignatureError || error instanceof InvalidRequest) {
        this.metrics.rejectedCallbacks.inc({ provider: name });
        await this.record(this.em.fork(), name, boundedRejectBody(rawBody), headers, null, 'rejected', null);
        this.logger.warn({ provider: name, reason: error.message }, 'provider callback rejected');
      }
      throw error;
    }

    try {
      return await this.em.fork().transactional(async (em) => {
        if (await em.count(InboundWebhook, { provider: name, dedupeKey: parsed.dedupeKey })) return 'duplicate';
        const session = await this.findSession(em, name, parsed);
        if (!session) {
          this.logger.warn({ provider: name, providerSessionId: parsed.providerSessionId, event: parsed.eventType }, 'callback for an unknown session');
          await this.record(em, name, rawBody, headers, parsed, 'unknown_session', null);
          return 'unknown_session';
        }
        if (!parsed.report) {
          await this.record(em, name, rawBody, headers, parsed, 'ignored', session.id);
          return 'ignored';
        }
        const { outcome } = await this.sessions.applyReport(session.id, parsed.report, 'webhook', em);
        await this.record(em, name, rawBody, headers, parsed, outcome, session.id);
        return outcome;
      });
    } catch (error) {
      // Two deliveries of one notification raced: the other one recorded and applied it.
      if (error instanceof UniqueConstraintViolationException) return 'duplicate';
      throw error;
    }
  }

  private async findSession(em: EntityManager, provider: string, parsed: ParsedWebhook): Promise<Session | null> {
    if (parsed.providerSessionId) {
      const session = await em.findOne(Session, { provider, providerSessionId: parsed.providerSessionId });
      if (session) return session;
    }
    if (parsed.paymuxSessionId) {
      const session = await em.findOne(Session, { id: parsed.paymuxSessionId, provider });
      if (session) return session;
    }
    if (parsed.providerCustomerId) {
      return em.findOne(Session, { provider, providerCustomerId: parsed.providerCustomerId }, { orderBy: { createdAt: 'desc' } });
    }
    return null;
  }

  private async record(
    em: EntityManager, provider: string, rawBody: Buffer, headers: WebhookHeaders, parsed: ParsedWebhook | null,
    outcome: string, sessionId: string | null,
  ): Promise<void> {
    const kept: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) {
      if (KEPT_HEADERS.test(key.toLowerCase()) && value !== undefined) kept[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    em.persist(Object.assign(new InboundWebhook(), {
      provider,
      dedupeKey: parsed?.dedupeKey ?? null,
      eventType: parsed?.eventType ?? null,
      sessionId,
      outcome,
      headers: kept,
      rawBody: storableText(rawBody),
      receivedAt: this.clock.now(),
    }));
    await em.flush();
  }
}
