import { QueryOrder } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderRegistry } from '@paymux/payments';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { providerRef } from '../sessions/provider-ref';
import type { Session } from '../sessions/session.entity';
import { RoutingMetrics } from '../routing/routing-metrics';
import { ProviderReports } from '../sessions/provider-reports';
import { JobContext, JobRegistry, JobResult, ScheduledJob } from './job-registry';
import { ProviderChecks } from './provider-checks';
import { SessionClaims } from './session-claims';

/**
 * Open sessions the provider has not told us about for RECONCILE_AFTER_SECONDS (no callback, no
 * sync) are synced with their provider: oldest first (never heard of first), at most
 * RECONCILE_BATCH_SIZE a run, JOBS_PROVIDER_CONCURRENCY calls at once per provider. A session
 * whose provider cannot be reached keeps its claim for RECONCILE_AFTER_SECONDS as a back-off, so
 * a provider outage does not make the same sessions fill every run.
 */
@Injectable()
export class ReconcileSessionsJob implements ScheduledJob, OnModuleInit {
  readonly name = 'reconcile-sessions';
  private readonly logger = new Logger('jobs');

  constructor(
    private readonly claims: SessionClaims,
    private readonly checks: ProviderChecks,
    private readonly reports: ProviderReports,
    private readonly clock: Clock,
    private readonly registry: JobRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROVIDER_REGISTRY) private readonly providers: ProviderRegistry,
    private readonly providerMetrics: RoutingMetrics,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(context: JobContext): Promise<JobResult> {
    const now = this.clock.now();
    const quietSince = new Date(now.getTime() - this.config.jobs.reconcileAfterSeconds * 1000);
    const claim = await this.claims.claim({
      where: {
        // A hold awaiting capture is asked about too: a hold the provider let lapse expires the session.
        status: { $in: ['open', 'processing', 'requires_capture'] },
        providerSessionId: { $ne: null },
        $or: [{ lastProviderUpdateAt: { $lt: quietSince } }, { lastProviderUpdateAt: null, createdAt: { $lt: quietSince } }],
      },
      orderBy: [{ lastProviderUpdateAt: QueryOrder.ASC_NULLS_FIRST }, { createdAt: 'asc' }, { id: 'asc' }],
      limit: this.config.jobs.reconcileBatchSize,
      leaseMs: 2 * this.config.providerTimeoutMs + 60_000,
      instanceId: context.instanceId,
    });
    const result: JobResult = { examined: claim.sessions.length, changed: 0 };
    if (claim.sessions.length === 0) return result;
    const unreachable: string[] = [];
    try {
      const checks = await this.checks.fetchAll(claim.sessions, context.signal);
      for (const session of claim.sessions) {
        const check = checks.get(session.id);
        if (check?.kind === 'unreachable') {
          unreachable.push(session.id);
          this.logger.warn({ sessionId: session.id, provider: session.provider, reason: check.reason }, 'reconcile: provider unreachable');
        }
        if (check?.kind !== 'answered') continue;
        // Changes go through the state machine under the session's row lock, as a callback would.
        const { outcome, session: current } = await this.reports.apply(session.id, check.report, 'scheduler');
        if (outcome === 'applied') result.changed += 1;
        if (current.status === 'requires_capture' && current.captureBefore !== null && current.captureBefore < now) {
          this.logger.warn({ sessionId: current.id, provider: current.provider, captureBefore: current.captureBefore.toISOString() }, 'reconcile: a hold is past its capture deadline and the provider still reports it held');
        }
        if (!(await this.runFollowUp(current, check.report.followUp))) unreachable.push(session.id);
      }
    } finally {
      const backOffUntil = new Date(this.clock.now().getTime() + this.config.jobs.reconcileAfterSeconds * 1000);
      await this.claims.release(claim, unreachable, backOffUntil);
      await this.claims.release(claim, claim.sessions.map((session) => session.id).filter((id) => !unreachable.includes(id)));
    }
    return result;
  }

  /**
   * A provider waiting for a call (e.g. a confirm whose webhook was lost or failed) gets it here.
   * A failure is logged and the session backs off like an unreachable one, to be tried again.
   */
  private async runFollowUp(session: Session, followUp: string | null | undefined): Promise<boolean> {
    if (!followUp || !session.providerSessionId || !this.providers.has(session.provider)) return true;
    const provider = this.providers.get(session.provider);
    if (!provider.runFollowUp) return true;
    try {
      await this.providerMetrics.observe(session.provider, 'follow_up', () => provider.runFollowUp!(providerRef(session), followUp, session.status));
      return true;
    } catch (error) {
      this.logger.warn({ sessionId: session.id, provider: session.provider, followUp, reason: error instanceof Error ? error.message : String(error) }, 'reconcile: provider follow-up failed');
      return false;
    }
  }
}
