import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { isTerminal } from '@paymux/payments';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { Session } from '../sessions/session.entity';
import { SessionTransitions } from '../sessions/session-transitions';
import { ProviderReports } from '../sessions/provider-reports';
import { failOrphanedSessions, orphanAgeMs } from '../sessions/orphaned-sessions';
import { Outbox } from '../notifications/outbox';
import { JobMetrics } from './job-metrics';
import { JobContext, JobRegistry, JobResult, ScheduledJob } from './job-registry';
import { ProviderCheck, ProviderChecks } from './provider-checks';
import { expirePlainBatch, PLAIN_EXPIRY_BATCH_SIZE } from './plain-expiries';
import { isPostgres } from '../database/statements';
import { Claim, SessionClaims } from './session-claims';

export const EXPIRY_BATCH_SIZE = 200;
/** One run handles at most this many batches, so a backlog is worked off over several runs. */
export const EXPIRY_BATCHES_PER_RUN = 25;
/** Transactions applying one batch at once (each holds a pooled connection). */
const APPLY_PARTS = 4;

const UNCHECKED_NOTE = 'expired without asking the provider (EXPIRY_CHECK_PROVIDER is off)';
const NO_PROVIDER_SESSION_NOTE = 'no provider session was ever created, so it cannot be paid';

type Verdict =
  | { kind: 'expire'; providerStatus: string | null; note: string | null }
  | { kind: 'apply_report'; check: Extract<ProviderCheck, { kind: 'answered' }> }
  | { kind: 'wait'; failed: boolean };

/**
 * Sessions still open or processing past `expires_at` + EXPIRY_GRACE_SECONDS. The provider is
 * asked first: a payment or a decline it reports wins. A provider that cannot be reached leaves
 * the session for the next run (`expiry_check_failures` counts the attempts) until
 * EXPIRY_MAX_WAIT_SECONDS past `expires_at`; then it is expired anyway, and the session event
 * says it was not confirmed. A payment reported after that still wins (succeeded, late).
 */
@Injectable()
export class ExpireSessionsJob implements ScheduledJob, OnModuleInit {
  readonly name = 'expire-sessions';

  constructor(
    private readonly em: EntityManager,
    private readonly claims: SessionClaims,
    private readonly checks: ProviderChecks,
    private readonly transitions: SessionTransitions,
    private readonly reports: ProviderReports,
    private readonly metrics: JobMetrics,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly registry: JobRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(context: JobContext): Promise<JobResult> {
    const total: JobResult = { examined: 0, changed: 0 };
    total.changed += await failOrphanedSessions(this.em, this.transitions, this.clock.now(), orphanAgeMs(this.config));
    await this.expireWithoutAsking(context, total);
    // With provider checks off every stale session was expired above.
    if (!this.config.jobs.expiryCheckProvider) return total;
    // The cursor moves past every session this run looked at, so one left for the next run
    // (provider unreachable) is not picked up again by a later batch of the same run.
    let after: { expiresAt: Date; id: string } | null = null;
    for (let batch = 0; batch < EXPIRY_BATCHES_PER_RUN && !context.signal.aborted; batch++) {
      const cutoff = new Date(this.clock.now().getTime() - this.config.jobs.expiryGraceSeconds * 1000);
      const claim = await this.claims.claim({
        where: {
          status: { $in: ['open', 'processing'] },
          expiresAt: { $lt: cutoff },
          providerSessionId: { $ne: null },
          ...(after ? { $or: [{ expiresAt: { $gt: after.expiresAt } }, { expiresAt: after.expiresAt, id: { $gt: after.id } }] } : {}),
        },
        orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
        limit: EXPIRY_BATCH_SIZE,
        leaseMs: this.leaseMs(),
        instanceId: context.instanceId,
      });
      if (claim.sessions.length === 0) break;
      const last = claim.sessions[claim.sessions.length - 1];
      after = { expiresAt: last.expiresAt, id: last.id };
      total.examined += claim.sessions.length;
      total.changed += await this.settleBatch(claim, context.signal);
      if (claim.sessions.length < EXPIRY_BATCH_SIZE) break;
    }
    return total;
  }

  /**
   * The expiries no provider is asked about (EXPIRY_CHECK_PROVIDER off, or no provider session
   * was ever created), set-based: one transaction per batch (see plain-expiries.ts).
   */
  private async expireWithoutAsking(context: JobContext, total: JobResult): Promise<void> {
    const checking = this.config.jobs.expiryCheckProvider;
    // On PostgreSQL APPLY_PARTS batches at once (SKIP LOCKED keeps them disjoint), so one
    // batch's statements run while another's rows are rendered; SQLite has one connection.
    const parallel = isPostgres(this.em) ? APPLY_PARTS : 1;
    for (let started = 0; started < EXPIRY_BATCHES_PER_RUN && !context.signal.aborted; started += parallel) {
      const batches = Math.min(parallel, EXPIRY_BATCHES_PER_RUN - started);
      const now = this.clock.now();
      const batch = {
        now,
        cutoff: new Date(now.getTime() - this.config.jobs.expiryGraceSeconds * 1000),
        withoutProviderSession: checking,
        note: checking ? NO_PROVIDER_SESSION_NOTE : UNCHECKED_NOTE,
        limit: PLAIN_EXPIRY_BATCH_SIZE,
      };
      const settled = await Promise.allSettled(Array.from({ length: batches }, () => expirePlainBatch(this.em, this.outbox, batch)));
      const expired = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
      total.examined += expired.length;
      total.changed += expired.length;
      const byProvider = new Map<string, number>();
      for (const session of expired) byProvider.set(session.provider, (byProvider.get(session.provider) ?? 0) + 1);
      for (const [provider, count] of byProvider) this.metrics.sessionsExpired.inc({ provider }, count);
      const failure = settled.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
      if (expired.length < batches * PLAIN_EXPIRY_BATCH_SIZE) break;
    }
  }

  /**
   * Asks the providers (no transaction open), then applies every verdict under row locks, in
   * APPLY_PARTS transactions at once over disjoint parts of the batch (each locks its own rows
   * in id order, so they never wait on each other).
   */
  private async settleBatch(claim: Claim, signal: AbortSignal): Promise<number> {
    const askable = this.config.jobs.expiryCheckProvider ? claim.sessions.filter((session) => session.providerSessionId !== null) : [];
    const checks = await this.checks.fetchAll(askable, signal);
    // SQLite has one connection: its transactions would only queue behind each other.
    const size = Math.ceil(claim.sessions.length / (isPostgres(this.em) ? APPLY_PARTS : 1));
    const parts = Array.from({ length: Math.ceil(claim.sessions.length / size) }, (_, i) => ({ token: claim.token, sessions: claim.sessions.slice(i * size, (i + 1) * size) }));
    const settled = await Promise.allSettled(parts.map((part) => this.settlePart(part, checks)));
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return settled.reduce((sum, result) => sum + (result.status === 'fulfilled' ? result.value : 0), 0);
  }

  private async settlePart(claim: Claim, checks: Map<string, ProviderCheck>): Promise<number> {
    const expiredByProvider = new Map<string, number>();
    let changed = 0;
    try {
      await this.em.fork().transactional(async (tx) => {
        const claimedAs = new Map(claim.sessions.map((session) => [session.id, session.lastProviderUpdateAt?.getTime() ?? null]));
        // One statement locks the part; the changes are then written with one flush (batched
        // statements) instead of one round of statements per session.
        const held = await this.claims.lockHeld(tx, claim);
        for (const session of held) {
          if (isTerminal(session.status)) continue;
          // The provider told us something (callback, sync) since the claim: decide on the next run.
          if ((session.lastProviderUpdateAt?.getTime() ?? null) !== claimedAs.get(session.id)) continue;
          const verdict = this.judge(session, checks.get(session.id));
          if (verdict.kind === 'wait') {
            if (verdict.failed) session.expiryCheckFailures += 1;
            continue;
          }
          if (verdict.kind === 'apply_report') {
            const { outcome } = await this.reports.apply(session.id, verdict.check.report, 'scheduler', tx);
            if (outcome === 'applied') changed += 1;
            continue;
          }
          if (checks.has(session.id)) session.lastProviderUpdateAt = this.clock.now();
          const { outcome } = await this.transitions.applyLocked(tx, session, {
            to: 'expired',
            source: 'scheduler',
            ...(verdict.providerStatus !== null ? { providerStatus: verdict.providerStatus } : {}),
            note: verdict.note,
          }, { flush: false });
          if (outcome === 'applied') {
            changed += 1;
            expiredByProvider.set(session.provider, (expiredByProvider.get(session.provider) ?? 0) + 1);
          }
        }
        await tx.flush();
        await this.claims.release(claim, undefined, null, tx);
      });
    } catch (error) {
      await this.claims.release(claim);
      throw error;
    }
    for (const [provider, count] of expiredByProvider) this.metrics.sessionsExpired.inc({ provider }, count);
    return changed;
  }

  private judge(session: Session, check: ProviderCheck | undefined): Verdict {
    if (!this.config.jobs.expiryCheckProvider) return { kind: 'expire', providerStatus: null, note: UNCHECKED_NOTE };
    if (session.providerSessionId === null) return { kind: 'expire', providerStatus: null, note: NO_PROVIDER_SESSION_NOTE };
    if (check === undefined) return { kind: 'wait', failed: false }; // not asked: shutting down
    if (check.kind === 'answered') {
      const { status, providerStatus } = check.report;
      if (status === 'succeeded' || status === 'failed') return { kind: 'apply_report', check };
      // Still payable at the provider (a reservation the buyer pays later): not expired, and
      // the report moves the session's expiry out to the provider's deadline.
      if (check.report.payableUntil && check.report.payableUntil > this.clock.now()) return { kind: 'apply_report', check };
      return { kind: 'expire', providerStatus, note: null };
    }
    const overdueMs = this.clock.now().getTime() - session.expiresAt.getTime();
    if (overdueMs < this.config.jobs.expiryMaxWaitSeconds * 1000) return { kind: 'wait', failed: true };
    const attempts = session.expiryCheckFailures + 1;
    return {
      kind: 'expire',
      providerStatus: null,
      note: `expired without provider confirmation after ${attempts} failed check${attempts === 1 ? '' : 's'}: ${check.reason}`.slice(0, 1000),
    };
  }

  /** Long enough for every provider call of a batch to time out, plus the batch's writes. */
  private leaseMs(): number {
    return 2 * this.config.providerTimeoutMs + 60_000;
  }
}
