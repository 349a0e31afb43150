import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvalidRequest, NotFound, ParsedWebhook, PROVIDER_REGISTRY, ProviderRegistry, WebhookHeaders, WebhookSignatureError } from '@paymux/payments';
import { Clock } from '../clock';
import { Metrics } from '../health/metrics';
import { keptWebhookHeader, providerNameAt } from '../providers/provider-list';
import { RefundsService } from '../refunds/refunds.service';
import { RoutingMetrics } from '../routing/routing-metrics';
import { providerRef } from '../sessions/provider-ref';
import { Session } from '../sessions/session.entity';
import { readSession } from '../sessions/session-transitions';
import { insertEntities, runSql } from '../database/statements';
import { ProviderReports } from '../sessions/provider-reports';
import { boundedRejectBody, checkStorableCallback, storableText } from './callback-limits';
import { InboundWebhook } from './inbound-webhook.entity';

export type InboundOutcome = 'applied' | 'unchanged' | 'illegal' | 'duplicate' | 'unknown_session' | 'ignored';


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
    private readonly reports: ProviderReports,
    private readonly clock: Clock,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    private readonly metrics: Metrics,
    private readonly refunds: RefundsService,
    private readonly providerMetrics: RoutingMetrics,
  ) {}

  async receive(providerPath: string, rawBody: Buffer, headers: WebhookHeaders): Promise<InboundOutcome> {
    const name = providerNameAt(providerPath);
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

    // A resend of a notification already recorded is answered without opening a transaction; two
    // deliveries racing past this check meet at the unique (provider, dedupe_key) index below.
    if (await this.seen(name, parsed.dedupeKey)) return 'duplicate';
    let handled: { outcome: InboundOutcome; session: Session | null };
    try {
      handled = await this.em.fork().transactional(async (em): Promise<{ outcome: InboundOutcome; session: Session | null }> => {
        // Locked as it is found, unless the provider is asked for the status first (no lock held over its call).
        const session = await this.findSession(em, name, parsed, !parsed.confirmWithProvider);
        if (!session) {
          this.logger.warn({ provider: name, providerSessionId: parsed.providerSessionId, event: parsed.eventType }, 'callback for an unknown session');
          await this.record(em, name, rawBody, headers, parsed, 'unknown_session', null);
          return { session: null, outcome: 'unknown_session' };
        }
        const report = parsed.confirmWithProvider && session.providerSessionId
          ? await this.providerMetrics.observe(name, 'fetch_status', () =>
            provider.fetchStatus(providerRef(session)))
          : parsed.report;
        // Asked first: now its row is locked, and `session` (the instance `em` holds) read afresh in place.
        if (parsed.confirmWithProvider && report) await readSession(em, 'id = ?', [session.id], { forUpdate: true });
        const refunds = parsed.refunds ?? [];
        if (!report && refunds.length === 0) {
          await this.record(em, name, rawBody, headers, parsed, 'ignored', session.id);
          return { session: null, outcome: 'ignored' };
        }
        const result = report ? await this.reports.applyLocked(em, session, report, 'webhook') : { outcome: 'unchanged' as const, session };
        // Refunds and chargebacks the notification shows are recorded once each, with the same record.
        const refundsChanged = refunds.length > 0 ? await this.refunds.applyProviderRefunds(session.id, refunds, em) : 0;
        const outcome = refundsChanged > 0 ? 'applied' : result.outcome;
        await this.record(em, name, rawBody, headers, parsed, outcome, session.id);
        return { session: report ? result.session : null, outcome };
      });
    } catch (error) {
      // Two deliveries of one notification raced: the other one recorded and applied it.
      if (error instanceof UniqueConstraintViolationException) return 'duplicate';
      throw error;
    }
    if (handled.session) await this.runFollowUp(name, parsed, handled.session);
    return handled.outcome;
  }

  /**
   * A report that asks for a follow-up call (e.g. a confirm the provider waits for) gets it once
   * the report is applied and recorded, outside any transaction, with the session's status by
   * then. If the call fails the error goes out as a non-2xx answer and the record loses its
   * dedupe key (kept for audit as `follow_up_failed`), so the provider's resend is handled again
   * rather than taken for a duplicate.
   */
  private async runFollowUp(name: string, parsed: ParsedWebhook, session: Session): Promise<void> {
    const provider = this.registry.get(name);
    const followUp = parsed.report?.followUp;
    // A provider that calls back before its create answer is stored: its own id is in the callback.
    const providerSessionId = session.providerSessionId ?? parsed.providerSessionId;
    if (!followUp || !provider.runFollowUp || !providerSessionId) return;
    try {
      await this.providerMetrics.observe(name, 'follow_up', () => provider.runFollowUp!(providerRef(session, providerSessionId), followUp, session.status));
    } catch (error) {
      await this.em.fork().nativeUpdate(InboundWebhook, { provider: name, dedupeKey: parsed.dedupeKey }, { dedupeKey: null, outcome: 'follow_up_failed' });
      this.logger.warn({ provider: name, sessionId: session.id, followUp, reason: error instanceof Error ? error.message : String(error) }, 'provider follow-up failed; the provider will resend');
      throw error;
    }
  }

  private async seen(provider: string, dedupeKey: string): Promise<boolean> {
    return (await runSql(this.em, 'select 1 as seen from inbound_webhooks where provider = ? and dedupe_key = ? limit 1', [provider, dedupeKey])).length > 0;
  }

  private async findSession(em: EntityManager, provider: string, parsed: ParsedWebhook, forUpdate: boolean): Promise<Session | null> {
    if (parsed.providerSessionId) {
      const session = await readSession(em, 'provider = ? and provider_session_id = ?', [provider, parsed.providerSessionId], { forUpdate });
      if (session) return session;
    }
    if (parsed.paymuxSessionId) {
      const session = await readSession(em, 'id = ? and provider = ?', [parsed.paymuxSessionId, provider], { forUpdate });
      if (session) return session;
    }
    if (parsed.providerCustomerId) {
      return readSession(em, 'provider = ? and provider_customer_id = ?', [provider, parsed.providerCustomerId], { forUpdate, order: 'created_at desc' });
    }
    return null;
  }

  private async record(
    em: EntityManager, provider: string, rawBody: Buffer, headers: WebhookHeaders, parsed: ParsedWebhook | null,
    outcome: string, sessionId: string | null,
  ): Promise<void> {
    const kept: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) {
      if (keptWebhookHeader(key) && value !== undefined) kept[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    await insertEntities(em, [Object.assign(new InboundWebhook(), {
      provider,
      dedupeKey: parsed?.dedupeKey ?? null,
      eventType: parsed?.eventType ?? null,
      sessionId,
      outcome,
      headers: kept,
      rawBody: storableText(rawBody),
      receivedAt: this.clock.now(),
    })]);
  }
}
