import { EntityManager, raw } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock';
import type { AppConfig, BreakerConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { queryEntities } from '../database/statements';
import { BreakerState, ProviderBreaker } from './provider-breaker.entity';

/** What a request may do with a provider now. */
export type Admission = 'closed' | 'probe' | 'open';

export interface BreakerView {
  provider: string;
  state: BreakerState;
  consecutive_failures: number;
  window_calls: number;
  window_failures: number;
  opened_at: string | null;
  retry_at: string | null;
  last_failure_code: string | null;
  last_failure_at: string | null;
}

/**
 * The per-provider circuit breaker, kept in the database so every instance agrees.
 * Closed: calls go through; `failureThreshold` consecutive retryable failures, or an error rate
 * of `errorRatePercent` over at least `minRequests` calls in the window, open it. Open: the
 * provider is skipped for `cooldownSeconds`. Then one request (one, across all instances: it
 * takes a lease on the row) probes it: success closes the breaker, failure opens it again.
 */
@Injectable()
export class ProviderHealth implements OnModuleDestroy {
  private readonly logger = new Logger('routing');
  private readonly settings: BreakerConfig;
  private readonly probeLeaseMs: number;
  private readonly ensured = new Set<string>();
  /** Successful calls of this instance not yet added to the window (see recordSuccess). */
  private readonly pendingCalls = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = config.breaker;
    // A probe's call is bounded by the provider timeout; past its lease another request may probe.
    this.probeLeaseMs = config.providerTimeoutMs + 5000;
  }

  /** Every breaker row, as read now (read-only: changes go through conditional updates). Read on every session creation. */
  async states(): Promise<Map<string, ProviderBreaker>> {
    const rows = await queryEntities(this.em, ProviderBreaker, 'select * from provider_breakers', []);
    return new Map(rows.map((row) => [row.provider, row]));
  }

  /** Every named provider's breaker, closed when it has no row yet. */
  async views(providers: readonly string[]): Promise<BreakerView[]> {
    const states = await this.states();
    return providers.map((provider) => render(provider, states.get(provider) ?? null));
  }

  /**
   * Whether a request may call `provider` now, given its row as read at the start of routing.
   * A probe is claimed by a conditional update: of all requests on all instances, one wins.
   */
  async admit(provider: string, row: ProviderBreaker | null): Promise<Admission> {
    if (!row || row.state === 'closed') return 'closed';
    const now = this.clock.now();
    const due = row.state === 'open' ? row.retryAt !== null && row.retryAt <= now : row.probeUntil === null || row.probeUntil <= now;
    if (!due) return 'open';
    const claimed = await this.em.fork().nativeUpdate(
      ProviderBreaker,
      { provider, $or: [{ state: 'open', retryAt: { $lte: now } }, { state: 'half_open', probeUntil: { $lte: now } }, { state: 'half_open', probeUntil: null }] },
      { state: 'half_open', probeUntil: new Date(now.getTime() + this.probeLeaseMs), updatedAt: now },
    );
    return claimed === 1 ? 'probe' : 'open';
  }

  /**
   * A call that worked. A probe closes the breaker; after failures the count starts again at
   * once. Otherwise only the window's call count grows, and that is written at most once a
   * second per instance (batched), so successful calls do not all update one row.
   */
  async recordSuccess(provider: string, admission: Admission, row: ProviderBreaker | null): Promise<void> {
    const now = this.clock.now();
    const em = this.em.fork();
    if (admission === 'probe') {
      await this.ensure(provider);
      const closed = await em.nativeUpdate(ProviderBreaker, { provider, state: 'half_open' }, {
        state: 'closed', consecutiveFailures: 0, windowStartedAt: now, windowCalls: 1, windowFailures: 0,
        openedAt: null, retryAt: null, probeUntil: null, updatedAt: now,
      });
      if (closed === 1) this.logger.log({ provider }, 'provider breaker closed: the probe succeeded');
      return;
    }
    this.pendingCalls.set(provider, (this.pendingCalls.get(provider) ?? 0) + 1);
    if (row && row.consecutiveFailures > 0) {
      await this.ensure(provider);
      await em.nativeUpdate(ProviderBreaker, { provider }, { consecutiveFailures: 0, updatedAt: now });
      await this.flush(provider);
      return;
    }
    if (!this.flushTimer && !this.closed) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        void Promise.all([...this.pendingCalls.keys()].map((name) => this.flush(name))).catch((error: unknown) => {
          this.logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'could not record provider calls');
        });
      }, 1000);
      this.flushTimer.unref();
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  /** Adds this instance's successful calls not yet written to the window. */
  private async flush(provider: string): Promise<void> {
    const calls = this.pendingCalls.get(provider) ?? 0;
    if (calls === 0) return;
    this.pendingCalls.delete(provider);
    await this.ensure(provider);
    const now = this.clock.now();
    await this.rollWindow(provider, now);
    await (this.em.fork() as SqlEntityManager).createQueryBuilder(ProviderBreaker)
      .update({ windowCalls: raw(`window_calls + ${Math.floor(calls)}`), updatedAt: now })
      .where({ provider })
      .execute();
  }

  /** A retryable failure (timeout, unreachable, 5xx, rate limit): counts toward opening. */
  async recordFailure(provider: string, admission: Admission, code: string): Promise<void> {
    await this.ensure(provider);
    const now = this.clock.now();
    const em = this.em.fork();
    const retryAt = new Date(now.getTime() + this.settings.cooldownSeconds * 1000);
    if (admission === 'probe') {
      const reopened = await em.nativeUpdate(ProviderBreaker, { provider, state: 'half_open' }, {
        state: 'open', openedAt: now, retryAt, probeUntil: null, lastFailureCode: code, lastFailureAt: now, updatedAt: now,
      });
      if (reopened === 1) this.logger.warn({ provider, code }, 'provider breaker opened again: the probe failed');
      return;
    }
    await this.flush(provider);
    await this.rollWindow(provider, now);
    await (em as SqlEntityManager).createQueryBuilder(ProviderBreaker)
      .update({
        consecutiveFailures: raw('consecutive_failures + 1'), windowCalls: raw('window_calls + 1'), windowFailures: raw('window_failures + 1'),
        lastFailureCode: code, lastFailureAt: now, updatedAt: now,
      })
      .where({ provider })
      .execute();
    const row = await em.fork().findOne(ProviderBreaker, { provider });
    if (!row || row.state !== 'closed' || !this.tripped(row)) return;
    const opened = await em.nativeUpdate(ProviderBreaker, { provider, state: 'closed' }, { state: 'open', openedAt: now, retryAt, probeUntil: null, updatedAt: now });
    if (opened === 1) {
      this.logger.warn({ provider, code, consecutiveFailures: row.consecutiveFailures, windowCalls: row.windowCalls, windowFailures: row.windowFailures }, 'provider breaker opened');
    }
  }

  private tripped(row: ProviderBreaker): boolean {
    const { failureThreshold, errorRatePercent, minRequests } = this.settings;
    if (row.consecutiveFailures >= failureThreshold) return true;
    return row.windowCalls >= minRequests && row.windowFailures * 100 >= errorRatePercent * row.windowCalls;
  }

  /** A window older than windowSeconds starts again (a tumbling window). */
  private async rollWindow(provider: string, now: Date): Promise<void> {
    const startedBefore = new Date(now.getTime() - this.settings.windowSeconds * 1000);
    await this.em.fork().nativeUpdate(ProviderBreaker, { provider, windowStartedAt: { $lte: startedBefore } }, { windowStartedAt: now, windowCalls: 0, windowFailures: 0 });
  }

  private async ensure(provider: string): Promise<void> {
    if (this.ensured.has(provider)) return;
    const now = this.clock.now();
    await (this.em.fork() as SqlEntityManager).createQueryBuilder(ProviderBreaker)
      .insert({ provider, state: 'closed', consecutiveFailures: 0, windowStartedAt: now, windowCalls: 0, windowFailures: 0, updatedAt: now })
      .onConflict('provider').ignore()
      .execute();
    this.ensured.add(provider);
  }
}

function render(provider: string, row: ProviderBreaker | null): BreakerView {
  return {
    provider,
    state: row?.state ?? 'closed',
    consecutive_failures: row?.consecutiveFailures ?? 0,
    window_calls: row?.windowCalls ?? 0,
    window_failures: row?.windowFailures ?? 0,
    opened_at: row?.openedAt?.toISOString() ?? null,
    retry_at: row?.state === 'open' ? (row.retryAt?.toISOString() ?? null) : null,
    last_failure_code: row?.lastFailureCode ?? null,
    last_failure_at: row?.lastFailureAt?.toISOString() ?? null,
  };
}
