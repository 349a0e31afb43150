import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobRegistry, ScheduledJob } from './job-registry';
import { JobRunner } from './job-runner';
import { JobStates } from './job-states';

const DEFAULT_INTERVAL_SECONDS = 60;

/**
 * Puts every registered job on its interval (JOB_<NAME>_INTERVAL_SECONDS) in this instance,
 * unless JOBS_ENABLED is off or the job is in JOBS_DISABLED. Every instance schedules every
 * job; the jobs' claims keep instances from working on the same rows.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('jobs');
  private readonly nextRuns = new Map<string, Date>();

  constructor(
    private readonly registry: JobRegistry,
    private readonly runner: JobRunner,
    private readonly states: JobStates,
    private readonly schedulerRegistry: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intervalSeconds(job: string): number {
    return this.config.jobs.intervals[job] ?? DEFAULT_INTERVAL_SECONDS;
  }

  /** Scheduled in this instance (JOBS_ENABLED on and the job not in JOBS_DISABLED). */
  isEnabled(job: string): boolean {
    return this.config.jobs.enabled && !this.config.jobs.disabled.includes(job);
  }

  nextRunAt(job: string): Date | null {
    return this.nextRuns.get(job) ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.states.ensure(this.registry.all().map((job) => job.name));
    for (const job of this.registry.all()) {
      if (!this.isEnabled(job.name)) continue;
      const ms = this.intervalSeconds(job.name) * 1000;
      this.schedulerRegistry.addInterval(intervalName(job), setInterval(() => void this.tick(job, ms), ms));
      this.nextRuns.set(job.name, new Date(this.clock.now().getTime() + ms));
    }
  }

  /** Shutdown: no new ticks, then the running jobs finish their current batch. */
  async onModuleDestroy(): Promise<void> {
    for (const job of this.registry.all()) {
      if (this.schedulerRegistry.doesExist('interval', intervalName(job))) this.schedulerRegistry.deleteInterval(intervalName(job));
    }
    this.nextRuns.clear();
    await this.runner.stop();
  }

  private async tick(job: ScheduledJob, ms: number): Promise<void> {
    this.nextRuns.set(job.name, new Date(this.clock.now().getTime() + ms));
    try {
      await this.runner.runScheduled(job);
    } catch (error) {
      // Recording the run itself failed (e.g. the database is down); the next tick tries again.
      this.logger.error({ err: error, job: job.name }, 'scheduled job could not run');
    }
  }
}

function intervalName(job: ScheduledJob): string {
  return `job:${job.name}`;
}
