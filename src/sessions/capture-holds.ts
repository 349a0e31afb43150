import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../health/metrics';
import { ReadinessChecks } from '../health/readiness';
import { Session } from './session.entity';

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

  async counts(): Promise<HoldCounts> {
    const em = this.em.fork();
    const now = this.clock.now();
    const soon = new Date(now.getTime() + this.config.captureWarningSeconds * 1000);
    const [awaiting, due, past] = await Promise.all([
      em.count(Session, { status: 'requires_capture', captureRequestedAt: null }),
      em.count(Session, { status: 'requires_capture', captureRequestedAt: null, captureBefore: { $gte: now, $lt: soon } }),
      em.count(Session, { status: 'requires_capture', captureRequestedAt: null, captureBefore: { $lt: now } }),
    ]);
    return { awaiting_capture: awaiting, capture_due_soon: due, past_capture_before: past };
  }
}
