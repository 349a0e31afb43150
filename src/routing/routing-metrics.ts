import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { ProviderError } from '@paymux/payments';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '../health/metrics';

const STATE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;

/** Provider calls and breakers on the application's registry (served at /metrics). */
@Injectable()
export class RoutingMetrics {
  readonly providerDuration: Histogram<'provider' | 'operation' | 'outcome'>;
  readonly providerErrors: Counter<'provider' | 'operation' | 'code'>;
  readonly failovers: Counter<'from' | 'to'>;
  readonly breakerState: Gauge<'provider'>;
  /** Set by the routing module: reads every breaker from the database at scrape time. */
  breakerStates: () => Promise<{ provider: string; state: keyof typeof STATE_VALUES }[]> = async () => [];

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.providerDuration = new Histogram({
      name: 'paymux_provider_request_duration_seconds',
      help: 'Duration of calls to providers by provider, operation and outcome (ok or error)',
      labelNames: ['provider', 'operation', 'outcome'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.providerErrors = new Counter({
      name: 'paymux_provider_errors_total',
      help: 'Failed calls to providers by provider, operation and error code',
      labelNames: ['provider', 'operation', 'code'],
      registers,
    });
    this.failovers = new Counter({
      name: 'paymux_routing_failovers_total',
      help: 'Session creations moved from a failing provider to the next one',
      labelNames: ['from', 'to'],
      registers,
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.breakerState = new Gauge({
      name: 'paymux_provider_breaker_state',
      help: 'Circuit breaker state per provider, shared by all instances: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'],
      registers,
      async collect() {
        for (const { provider, state } of await self.breakerStates()) this.set({ provider }, STATE_VALUES[state]);
      },
    });
  }

  /** Times one provider call into the histogram, and counts its failure by code. */
  async observe<T>(provider: string, operation: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await call();
      this.providerDuration.observe({ provider, operation, outcome: 'ok' }, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.providerDuration.observe({ provider, operation, outcome: 'error' }, (performance.now() - started) / 1000);
      this.providerErrors.inc({ provider, operation, code: error instanceof ProviderError ? error.code : 'internal_error' });
      throw error;
    }
  }
}
