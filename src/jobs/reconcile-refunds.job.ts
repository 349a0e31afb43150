import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderError, ProviderRegistry } from '@paymux/payments';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Refund } from '../refunds/refund.entity';
import { RefundsService } from '../refunds/refunds.service';
import { providerRef } from '../sessions/provider-ref';
import { Session } from '../sessions/session.entity';
import { JobContext, JobRegistry, JobResult, ScheduledJob } from './job-registry';

/**
 * Refunds left `pending` for RECONCILE_AFTER_SECONDS (their provider call went unanswered, or
 * its webhook has not come) are settled from the provider's state: the session's refunds there
 * are applied as a webhook would apply them. One the provider does not show was never made
 * there: it is sent again with the same idempotency key (its refund id), so at most one refund
 * is ever made for it. Each refund is claimed by moving its `lastCheckedAt`, so two instances
 * never check the same one at once, and a refund checked is not checked again for
 * RECONCILE_AFTER_SECONDS.
 */
@Injectable()
export class ReconcileRefundsJob implements ScheduledJob, OnModuleInit {
  readonly name = 'reconcile-refunds';
  private readonly logger = new Logger('jobs');

  constructor(
    private readonly em: EntityManager,
    private readonly refunds: RefundsService,
    private readonly clock: Clock,
    private readonly registry: JobRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROVIDER_REGISTRY) private readonly providers: ProviderRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(context: JobContext): Promise<JobResult> {
    const now = this.clock.now();
    const quietSince = new Date(now.getTime() - this.config.jobs.reconcileAfterSeconds * 1000);
    const em = this.em.fork();
    const candidates = await em.find(
      Refund,
      { status: 'pending', updatedAt: { $lt: quietSince }, $or: [{ lastCheckedAt: null }, { lastCheckedAt: { $lt: quietSince } }] },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: this.config.jobs.reconcileBatchSize },
    );
    const result: JobResult = { examined: 0, changed: 0 };
    const checkedSessions = new Set<string>();
    for (const candidate of candidates) {
      if (context.signal.aborted) break;
      const claimed = await em.nativeUpdate(Refund, { id: candidate.id, status: 'pending', lastCheckedAt: candidate.lastCheckedAt }, { lastCheckedAt: now });
      if (claimed !== 1) continue;
      result.examined += 1;
      try {
        result.changed += await this.reconcile(candidate, checkedSessions);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        this.logger.warn({ refundId: candidate.id, sessionId: candidate.sessionId, provider: candidate.provider, code: error.code }, 'reconcile-refunds: provider did not answer; tried again later');
      }
    }
    return result;
  }

  private async reconcile(candidate: Refund, checkedSessions: Set<string>): Promise<number> {
    const session = await this.em.fork().findOne(Session, { id: candidate.sessionId });
    if (!session?.providerSessionId || !this.providers.has(candidate.provider)) return 0;
    const provider = this.providers.get(candidate.provider);
    if (!provider.fetchRefunds || !provider.refund) return 0;
    let changed = 0;
    // One look at the provider per session and run: it shows all of the session's refunds.
    if (!checkedSessions.has(session.id)) {
      checkedSessions.add(session.id);
      changed += await this.refunds.applyProviderRefunds(session.id, await provider.fetchRefunds(providerRef(session)));
    }
    const current = await this.refunds.get(candidate.id);
    if (current.status !== 'pending' || current.providerRefundId !== null) return changed;
    await this.refunds.callProvider(provider, session, current);
    const after = await this.refunds.get(candidate.id);
    return changed + (after.status !== 'pending' || after.providerRefundId !== null ? 1 : 0);
  }
}
