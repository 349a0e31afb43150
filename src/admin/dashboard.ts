import { EntityManager } from '@mikro-orm/core';
import { raw, SqlEntityManager } from '@mikro-orm/knex';
import { SESSION_STATUSES, SessionStatus, TERMINAL_STATUSES } from '@paymux/payments';
import type { DashboardSection } from './admin-access';
import { JobRun } from '../jobs/job-run.entity';
import { JobState } from '../jobs/job-state.entity';
import { ProviderBreaker } from '../routing/provider-breaker.entity';
import type { RoutingRule } from '../routing/routing-rules';
import type { HoldCounts } from '../sessions/capture-holds';
import { Session } from '../sessions/session.entity';

export const DASHBOARD_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface DashboardData {
  generatedAt: string;
  statuses: readonly SessionStatus[];
  sessions: {
    since: string;
    total: number;
    terminal: number;
    succeeded: number;
    /** succeeded / sessions in a terminal status; null while none has finished. */
    conversionRate: number | null;
    byProvider: { provider: string; counts: Partial<Record<SessionStatus, number>> }[];
  };
  /** Manual-capture holds (money authorized, waiting for the merchant's capture) by deadline; absent when there are none. */
  holds?: HoldCounts & { warningSeconds: number };
  /** Absent for a role that may not use the job actions (see DASHBOARD_SECTIONS). */
  jobs?: {
    job: string;
    paused: boolean;
    lastRunAt: string | null;
    lastSuccessAt: string | null;
    lastRunStatus: JobRun['status'] | null;
    /** late: no run for three of its intervals; failing: its last run failed. */
    health: 'ok' | 'failing' | 'late' | 'unknown';
  }[];
  /** Absent for a role that does not run operations (see DASHBOARD_SECTIONS). */
  routing?: {
    /** Every provider's circuit breaker (shared by all instances); closed when never tripped. */
    breakers: { provider: string; state: ProviderBreaker['state']; consecutiveFailures: number; retryAt: string | null; lastFailureCode: string | null; lastFailureAt: string | null }[];
    /** ROUTING_RULES in evaluation order, then PROVIDERS_ORDER as the fallback. */
    rules: { name: string; match: string; providers: string }[];
    providersOrder: string[];
  };
}

export interface RoutingSettings {
  rules: readonly RoutingRule[];
  providersOrder: readonly string[];
}

/** A rule as one line of text per column, for the dashboard's table. */
export function describeRule(rule: RoutingRule): { name: string; match: string; providers: string } {
  const m = rule.match;
  const parts = [
    m.currencies && `currency ${m.currencies.join(' or ')}`,
    m.amountMin !== null && `amount ≥ ${m.amountMin}`,
    m.amountMax !== null && `amount ≤ ${m.amountMax}`,
    m.paymentMethods && `payment method ${m.paymentMethods.join(' or ')}`,
    m.locales && `locale ${m.locales.join(' or ')}`,
    m.modes && `mode ${m.modes.join(' or ')}`,
  ].filter(Boolean);
  const providers = rule.split ? rule.split.map((part) => `${part.provider} ${part.percent} %`).join(', ') : rule.providers.join(' → ');
  return { name: rule.name, match: parts.length > 0 ? parts.join(', ') : 'every session', providers };
}

export interface SessionCount {
  provider: string;
  status: SessionStatus;
  count: number;
}

/** The pure part: counts per (provider, status) → what the dashboard shows. */
export function summarizeSessions(counts: SessionCount[], since: Date): DashboardData['sessions'] {
  const byProvider = new Map<string, Partial<Record<SessionStatus, number>>>();
  let total = 0;
  let terminal = 0;
  let succeeded = 0;
  for (const { provider, status, count } of counts) {
    const row = byProvider.get(provider) ?? {};
    row[status] = (row[status] ?? 0) + count;
    byProvider.set(provider, row);
    total += count;
    if (TERMINAL_STATUSES.includes(status)) terminal += count;
    if (status === 'succeeded') succeeded += count;
  }
  return {
    since: since.toISOString(),
    total,
    terminal,
    succeeded,
    conversionRate: terminal === 0 ? null : succeeded / terminal,
    byProvider: [...byProvider.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([provider, row]) => ({ provider, counts: row })),
  };
}

export function jobHealth(state: Pick<JobState, 'lastRunAt'>, lastRun: Pick<JobRun, 'status'> | null, intervalSeconds: number | undefined, now: Date): NonNullable<DashboardData['jobs']>[number]['health'] {
  if (lastRun?.status === 'failed') return 'failing';
  if (!state.lastRunAt || intervalSeconds === undefined) return 'unknown';
  return now.getTime() - state.lastRunAt.getTime() > 3 * intervalSeconds * 1000 ? 'late' : 'ok';
}

/**
 * Computed on the server for the dashboard's handler; sessions are counted in the database. Only
 * the sections given are computed (all by default).
 */
export async function computeDashboard(
  em: EntityManager, intervals: Record<string, number>, now = new Date(), routing: RoutingSettings = { rules: [], providersOrder: [] },
  sections: readonly DashboardSection[] = ['sessions', 'routing', 'jobs'],
): Promise<DashboardData> {
  const since = new Date(now.getTime() - DASHBOARD_WINDOW_MS);
  const fork = em.fork() as SqlEntityManager;
  const rows: { provider: string; status: SessionStatus; count: number | string }[] = await fork
    .createQueryBuilder(Session)
    .select(['provider', 'status', raw('count(*) as count')])
    .where({ createdAt: { $gte: since } })
    .groupBy(['provider', 'status'])
    .execute('all', false);
  const counts = rows.map((row) => ({ provider: row.provider, status: row.status, count: Number(row.count) }));
  const data: DashboardData = { generatedAt: now.toISOString(), statuses: SESSION_STATUSES, sessions: summarizeSessions(counts, since) };
  if (sections.includes('jobs')) data.jobs = await jobRows(fork, intervals, now);
  if (sections.includes('routing')) data.routing = await routingRows(fork, routing);
  return data;
}

async function jobRows(fork: SqlEntityManager, intervals: Record<string, number>, now: Date): Promise<NonNullable<DashboardData['jobs']>> {
  const states = await fork.find(JobState, {}, { orderBy: { job: 'asc' } });
  const jobs: NonNullable<DashboardData['jobs']> = [];
  for (const state of states) {
    const lastRun = await fork.findOne(JobRun, { job: state.job }, { orderBy: { startedAt: 'desc' } });
    jobs.push({
      job: state.job,
      paused: state.paused,
      lastRunAt: state.lastRunAt?.toISOString() ?? null,
      lastSuccessAt: state.lastSuccessAt?.toISOString() ?? null,
      lastRunStatus: lastRun?.status ?? null,
      health: jobHealth(state, lastRun, intervals[state.job], now),
    });
  }
  return jobs;
}

async function routingRows(fork: SqlEntityManager, routing: RoutingSettings): Promise<NonNullable<DashboardData['routing']>> {
  const breakers = new Map((await fork.find(ProviderBreaker, {})).map((row) => [row.provider, row]));
  const breakerRows = [...new Set([...routing.providersOrder, ...breakers.keys()])].sort().map((provider) => {
    const row = breakers.get(provider);
    return {
      provider,
      state: row?.state ?? 'closed',
      consecutiveFailures: row?.consecutiveFailures ?? 0,
      retryAt: row?.state === 'open' ? (row.retryAt?.toISOString() ?? null) : null,
      lastFailureCode: row?.lastFailureCode ?? null,
      lastFailureAt: row?.lastFailureAt?.toISOString() ?? null,
    };
  });
  return { breakers: breakerRows, rules: routing.rules.map(describeRule), providersOrder: [...routing.providersOrder] };
}
