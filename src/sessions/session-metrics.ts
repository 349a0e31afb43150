import { Injectable } from '@nestjs/common';
import type { SessionStatus } from '@paymux/payments';
import { Counter } from 'prom-client';
import { Metrics } from '../health/metrics';

/** Sessions created and finished, on the application's registry (served at /metrics). */
@Injectable()
export class SessionMetrics {
  readonly created: Counter<'provider' | 'status'>;
  readonly finished: Counter<'provider' | 'status' | 'late'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.created = new Counter({
      name: 'paymux_sessions_created_total',
      help: 'Sessions created, by the provider that got them and their status after creation (open, or failed when no provider could create it)',
      labelNames: ['provider', 'status'],
      registers,
    });
    this.finished = new Counter({
      name: 'paymux_sessions_finished_total',
      help: 'Sessions reaching a final status, by provider and status; a payment confirmed after expiry or cancel counts again as succeeded with late="true"',
      labelNames: ['provider', 'status', 'late'],
      registers,
    });
  }

  sessionCreated(provider: string, status: SessionStatus): void {
    this.created.inc({ provider, status });
  }

  sessionFinished(provider: string, status: SessionStatus, late: boolean): void {
    this.finished.inc({ provider, status, late: String(late) });
  }
}
