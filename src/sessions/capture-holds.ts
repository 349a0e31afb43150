import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { runSql } from '../database/statements';
import { Metrics } from '../health/metrics';
import { ReadinessChecks } from '../health/readiness';

export interface HoldCounts {
  /** Sessions in `requires_capture` not yet asked to capture: money on hold waiting for the merchant. */
  awaiting_capture: number;
  /** Of those, the ones whose `capture_before` is within CAPTURE_WARNING_SECONDS. */
  capture_due_soon: number;
  /** Of those, the ones past `capture_before`: the provider has probably released the hold. */
  past_capture_before: number;
}

/**
 * Uncaptured holds for operators: counts in /health/ready (`holds`, never making the instance
 * unready) and the `paymux_holds_awaiting_capture` gauge in /metrics, by how close the provider's
 * deadline is.
 */
@Injectable()
export class CaptureHolds implements OnModuleInit {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly readiness: ReadinessChecks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.readiness.addDetails('holds', async () => ({ ...(await this.counts()), warning_seconds: this.config.captureWarningSeconds }));
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'paymux_holds_awaiting_capture',
      help: 'Sessions in requires_capture by deadline: due (capture_before within CAPTURE_WARNING_SECONDS), past (capture_before passed), later',
      labelNames: ['deadline'],
      registers: [this.metrics.registry],
      async collect() {
        const counts = await self.counts();
        this.set({ deadline: 'past' }, counts.past_capture_before);
        this.set({ deadline: 'due' }, counts.capture_due_soon);
        this.set({ deadline: 'later' }, counts.awaiting_capture - counts.capture_due_soon - counts.past_capture_before);
      },
    });
  }

  /** One statement over the (status, capture_before) index: every /metrics scrape and readiness probe runs it. */
  async counts(): Promise<HoldCounts> {
    const now = this.clock.now();
    const soon = new Date(now.getTime() + this.config.captureWarningSeconds * 1000);
    const [row] = await runSql(this.em, HOLD_COUNTS, [now, soon, now]);
    return { awaiting_capture: Number(row.awaiting), capture_due_soon: Number(row.due), past_capture_before: Number(row.past) };
  }
}

const HOLD_COUNTS =
  'select count(*) as awaiting, ' +
  'count(case when capture_before >= ? and capture_before < ? then 1 end) as due, ' +
  'count(case when capture_before < ? then 1 end) as past ' +
  "from sessions where status = 'requires_capture' and capture_requested_at is null";
