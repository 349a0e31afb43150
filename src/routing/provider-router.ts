import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PaymentProvider, PROVIDER_FAILURE_CODES, PROVIDER_REGISTRY, ProviderError, ProviderRegistry, UnifiedSessionRequest } from '@paymux/payments';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { fitsOf, fittingProviders, pinnedProvider, RoutableRequest } from '../sessions/provider-routing';
import { AbandonedAttempts } from './abandoned-attempts';
import { Admission, ProviderHealth } from './provider-health';
import { isRetryable } from './retryable';
import { RoutingMetrics } from './routing-metrics';
import { ruleMatches, ruleOrder, RuleSubject } from './routing-rules';

export type ChosenBy = 'pinned' | 'rule' | 'providers_order';

export interface RoutePlan {
  chosenBy: ChosenBy;
  /** The rule's name when a rule chose. */
  rule: string | null;
  /** Providers able to serve the request, in the order to try them. */
  candidates: PaymentProvider[];
}

export interface AttemptRecord {
  provider: string;
  outcome: 'created' | 'failed' | 'skipped';
  error: { code: string; message: string } | null;
  duration_ms: number;
}

/** Kept on the session and shown in the API as `routing`. */
export interface RoutingRecord {
  chosen_by: ChosenBy;
  rule: string | null;
  attempts: AttemptRecord[];
}

export type RouteOutcome<T> =
  | { ok: true; provider: PaymentProvider; result: T; record: RoutingRecord }
  | { ok: false; error: unknown; record: RoutingRecord };

/**
 * Picks the providers for a session (a pinned one, the first fitting rule, else
 * PROVIDERS_ORDER) and runs the creation through them: a retryable failure moves on to the next
 * candidate unless the provider was pinned, and a provider whose breaker is open is skipped.
 */
@Injectable()
export class ProviderRouter {
  private readonly logger = new Logger('routing');

  constructor(
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: ProviderHealth,
    private readonly metrics: RoutingMetrics,
    private readonly abandoned: AbandonedAttempts,
  ) {}

  /** `key` places the session in a split's buckets (its id: the same session, the same bucket). */
  plan(requested: string | null, request: RoutableRequest & RuleSubject, key: string): RoutePlan {
    if (requested !== null) return { chosenBy: 'pinned', rule: null, candidates: [pinnedProvider(this.registry, requested, request)] };
    for (const rule of this.config.routingRules) {
      if (!ruleMatches(rule.match, request)) continue;
      const candidates = fitsOf(this.registry, ruleOrder(rule, key), request);
      if (candidates.length > 0) return { chosenBy: 'rule', rule: rule.name, candidates };
    }
    return { chosenBy: 'providers_order', rule: null, candidates: fittingProviders(this.registry, this.config.providersOrder, request) };
  }

  /**
   * `requestFor` builds the request for one provider; `attempt` sends it. A timed-out attempt's
   * possible provider session is cancelled there in the background when `neutraliseTimeouts`
   * (see AbandonedAttempts); never for requests carrying payment details.
   */
  async run<T>(
    plan: RoutePlan,
    requestFor: (provider: PaymentProvider) => UnifiedSessionRequest,
    attempt: (provider: PaymentProvider, request: UnifiedSessionRequest) => Promise<T>,
    options: { neutraliseTimeouts: boolean },
  ): Promise<RouteOutcome<T>> {
    const pinned = plan.chosenBy === 'pinned';
    const record: RoutingRecord = { chosen_by: plan.chosenBy, rule: plan.rule, attempts: [] };
    const states = await this.health.states();
    let lastError: unknown = null;
    let previous: string | null = null;
    for (const provider of plan.candidates) {
      // A pinned provider is always called: the merchant chose it, and its answer is the answer.
      const row = states.get(provider.name) ?? null;
      const admission: Admission = pinned ? 'closed' : await this.health.admit(provider.name, row);
      if (admission === 'open') {
        const retryAt = row?.retryAt?.toISOString();
        record.attempts.push({ provider: provider.name, outcome: 'skipped', error: { code: 'circuit_open', message: `${provider.name} is failing: its circuit breaker is open${retryAt ? ` until ${retryAt}` : ''}` }, duration_ms: 0 });
        continue;
      }
      if (previous !== null) this.metrics.failovers.inc({ from: previous, to: provider.name });
      const request = requestFor(provider);
      const started = performance.now();
      try {
        const result = await attempt(provider, request);
        const seconds = (performance.now() - started) / 1000;
        this.metrics.providerDuration.observe({ provider: provider.name, operation: 'create_session', outcome: 'ok' }, seconds);
        record.attempts.push({ provider: provider.name, outcome: 'created', error: null, duration_ms: Math.round(seconds * 1000) });
        await this.health.recordSuccess(provider.name, admission, row);
        return { ok: true, provider, result, record };
      } catch (error) {
        const seconds = (performance.now() - started) / 1000;
        const code = error instanceof ProviderError ? error.code : 'internal_error';
        this.metrics.providerDuration.observe({ provider: provider.name, operation: 'create_session', outcome: 'error' }, seconds);
        this.metrics.providerErrors.inc({ provider: provider.name, operation: 'create_session', code });
        record.attempts.push({
          provider: provider.name,
          outcome: 'failed',
          error: { code, message: error instanceof ProviderError ? error.message : 'The session could not be created at the provider' },
          duration_ms: Math.round(seconds * 1000),
        });
        lastError = error;
        if (error instanceof ProviderError && error.code === PROVIDER_FAILURE_CODES.timeout && options.neutraliseTimeouts) this.abandoned.neutralise(provider, request);
        if (!isRetryable(error)) {
          // The provider answered (it refused this request): for the breaker it is up.
          if (error instanceof ProviderError) await this.health.recordSuccess(provider.name, admission, row);
          return { ok: false, error, record };
        }
        await this.health.recordFailure(provider.name, admission, code);
        if (pinned) return { ok: false, error, record };
        this.logger.warn({ provider: provider.name, code }, 'session creation failed at a provider; trying the next one');
        previous = provider.name;
      }
    }
    if (lastError === null) {
      const names = plan.candidates.map((provider) => provider.name).join(', ');
      lastError = new ProviderError(plan.candidates[0].name, 'circuit_open', `Every provider that can serve this session is failing (circuit breaker open: ${names}); retry later`);
    }
    return { ok: false, error: lastError, record };
  }
}

/** One line for the session's events: what each attempt did. */
export function describeAttempts(record: RoutingRecord): string {
  const how = record.chosen_by === 'rule' ? `rule "${record.rule}"` : record.chosen_by === 'pinned' ? 'the pinned provider' : 'PROVIDERS_ORDER';
  const steps = record.attempts.map((a) => {
    if (a.outcome === 'created') return `created at ${a.provider} (${a.duration_ms} ms)`;
    if (a.outcome === 'skipped') return `${a.provider} skipped (circuit open)`;
    return `${a.provider} failed: ${a.error?.code} (${a.duration_ms} ms)`;
  });
  return `routed by ${how}: ${steps.join('; ')}`;
}
