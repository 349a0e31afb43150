import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '../health/metrics';

/** The scheduler's series on the application's registry (served at /metrics). */
@Injectable()
export class JobMetrics {
  readonly runs: Counter<'job' | 'status'>;
  readonly duration: Histogram<'job'>;
  readonly lastSuccess: Gauge<'job'>;
  readonly sessionsExpired: Counter<'provider'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.runs = new Counter({ name: 'paymux_job_runs_total', help: 'Scheduled job runs by job and outcome', labelNames: ['job', 'status'], registers });
    this.duration = new Histogram({
      name: 'paymux_job_duration_seconds',
      help: 'Duration of scheduled job runs',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'paymux_job_last_success_timestamp_seconds',
      help: 'Unix time of the last successful run of each job (any instance)',
      labelNames: ['job'],
      registers,
    });
    this.sessionsExpired = new Counter({ name: 'paymux_sessions_expired_total', help: 'Sessions the expiry job expired, by provider', labelNames: ['provider'], registers });
  }
}
