import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../clock';
import { ReadinessChecks } from '../health/readiness';
import { JobMetrics } from './job-metrics';
import { JobRegistry } from './job-registry';
import { JobScheduler } from './job-scheduler';
import { JobStates } from './job-states';

/** How many intervals a job may go without a successful run before the instance is not ready. */
export const STALE_AFTER_INTERVALS = 3;

/**
 * `/health/ready` reports a job whose last success (by any instance) is older than three of its
 * intervals; paused jobs and jobs not scheduled here are excepted. A job that has never
 * succeeded is measured from this instance's start.
 */
@Injectable()
export class JobHealth implements OnApplicationBootstrap {
  private readonly startedAt: Date;

  constructor(
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly states: JobStates,
    private readonly readiness: ReadinessChecks,
    private readonly metrics: JobMetrics,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  async onApplicationBootstrap(): Promise<void> {
    const states = await this.states.all();
    for (const job of this.registry.all()) {
      const lastSuccess = states.get(job.name)?.lastSuccessAt;
      if (lastSuccess) this.metrics.lastSuccess.set({ job: job.name }, lastSuccess.getTime() / 1000);
      this.readiness.add(async () => ({ name: job.name, problem: await this.problem(job.name) }));
    }
  }

  private async problem(job: string): Promise<string | null> {
    if (!this.scheduler.isEnabled(job)) return null;
    const state = await this.states.get(job);
    if (state?.paused) return null;
    const limitMs = STALE_AFTER_INTERVALS * this.scheduler.intervalSeconds(job) * 1000;
    const since = state?.lastSuccessAt ?? this.startedAt;
    if (this.clock.now().getTime() - since.getTime() <= limitMs) return null;
    return `no successful run since ${state?.lastSuccessAt ? state.lastSuccessAt.toISOString() : 'this instance started'} (more than ${STALE_AFTER_INTERVALS} intervals of ${this.scheduler.intervalSeconds(job)} s)`;
  }
}
