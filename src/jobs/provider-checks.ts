import { Inject, Injectable } from '@nestjs/common';
import { PROVIDER_REGISTRY, ProviderError, ProviderRegistry, ProviderStatusReport } from '@paymux/payments';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { RoutingMetrics } from '../routing/routing-metrics';
import { providerRef } from '../sessions/provider-ref';
import type { Session } from '../sessions/session.entity';

export type ProviderCheck =
  | { kind: 'answered'; report: ProviderStatusReport }
  | { kind: 'unreachable'; reason: string };

/**
 * Asks providers for the status of many sessions: at most `providerConcurrency` calls at once
 * per provider (one slow provider cannot starve the others, and no provider is flooded), and
 * no new call once `signal` is aborted (those sessions get no entry and are left as they are).
 */
@Injectable()
export class ProviderChecks {
  private readonly concurrency: number;
  /** A provider adapter applies PROVIDER_TIMEOUT_MS itself; this only guards against one that never settles. */
  private readonly deadlineMs: number;

  constructor(
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: RoutingMetrics,
  ) {
    this.concurrency = config.jobs.providerConcurrency;
    this.deadlineMs = config.providerTimeoutMs + 5000;
  }

  async fetchAll(sessions: readonly Session[], signal: AbortSignal): Promise<Map<string, ProviderCheck>> {
    const results = new Map<string, ProviderCheck>();
    const byProvider = new Map<string, Session[]>();
    for (const session of sessions) byProvider.set(session.provider, [...(byProvider.get(session.provider) ?? []), session]);
    await Promise.all(
      [...byProvider.values()].map(async (queue) => {
        const workers = Array.from({ length: Math.min(this.concurrency, queue.length) }, async () => {
          for (let session = queue.shift(); session && !signal.aborted; session = queue.shift()) {
            results.set(session.id, await this.fetchOne(session));
          }
        });
        await Promise.all(workers);
      }),
    );
    return results;
  }

  private async fetchOne(session: Session): Promise<ProviderCheck> {
    if (!this.registry.has(session.provider)) return { kind: 'unreachable', reason: `provider ${session.provider} is not configured in this instance` };
    if (!session.providerSessionId) return { kind: 'unreachable', reason: 'the session has no provider session id' };
    const provider = this.registry.get(session.provider);
    let timer: NodeJS.Timeout | undefined;
    try {
      const report = await Promise.race([
        this.metrics.observe(session.provider, 'fetch_status', () =>
          provider.fetchStatus(providerRef(session))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(ProviderError.timeout(session.provider, this.deadlineMs)), this.deadlineMs);
        }),
      ]);
      return { kind: 'answered', report };
    } catch (error) {
      return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
