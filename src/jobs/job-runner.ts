import { DriverException, EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Conflict } from '@paymux/payments';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobMetrics } from './job-metrics';
import { ScheduledJob } from './job-registry';
import { JobRun } from './job-run.entity';
import { JobStates } from './job-states';

/**
 * Runs jobs and records their effect on JobState and the metrics. A run that did work or failed,
 * and every operator's "run now", is a JobRun row; a scheduled run that found nothing to do only
 * counts on the job's state row (deliver-notifications ticks every 5 s in every instance). One
 * run of a job at a time in this instance; other instances are kept apart by the jobs' own claims.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('jobs');
  private readonly running = new Map<string, Promise<JobRun>>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly em: EntityManager,
    private readonly states: JobStates,
    private readonly metrics: JobMetrics,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  isRunning(job: string): boolean {
    return this.running.has(job);
  }

  /**
   * A scheduled tick. A paused job's tick records nothing (a `skipped` row every few seconds per
   * instance would bury the real runs); a tick while the previous run is still going is dropped.
   */
  async runScheduled(job: ScheduledJob): Promise<JobRun | null> {
    if (this.shutdown.signal.aborted || this.running.has(job.name)) return null;
    if ((await this.states.get(job.name))?.paused) return null;
    return this.start(job, 'scheduled');
  }

  /** An operator's "run now": runs even when the job is paused or disabled here. */
  runNow(job: ScheduledJob): Promise<JobRun> {
    if (this.running.has(job.name)) throw new Conflict('job_running', `Job ${job.name} is already running in this instance`);
    if (this.shutdown.signal.aborted) throw new Conflict('shutting_down', 'This instance is shutting down');
    return this.start(job, 'operator');
  }

  /** Shutdown: tell running jobs to stop after their current batch, and wait for them. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private start(job: ScheduledJob, trigger: 'scheduled' | 'operator'): Promise<JobRun> {
    const run = this.execute(job, trigger).finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }

  private async execute(job: ScheduledJob, trigger: 'scheduled' | 'operator'): Promise<JobRun> {
    const em = this.em.fork();
    const record = Object.assign(new JobRun(), { job: job.name, instanceId: this.config.jobs.instanceId, startedAt: this.clock.now() });
    // An operator's run is shown as running while it runs; a scheduled one is written once done.
    if (trigger === 'operator') await em.persistAndFlush(record);
    const started = process.hrtime.bigint();
    try {
      const result = await job.run({ signal: this.shutdown.signal, instanceId: this.config.jobs.instanceId });
      Object.assign(record, { status: 'succeeded', examined: result.examined, changed: result.changed });
    } catch (error) {
      Object.assign(record, { status: 'failed', error: describe(error) });
      this.logger.error({ err: error, job: job.name }, 'job run failed');
    }
    record.finishedAt = this.clock.now();
    this.metrics.duration.observe({ job: job.name }, Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.runs.inc({ job: job.name, status: record.status });
    const idle = trigger === 'scheduled' && record.status === 'succeeded' && record.changed === 0;
    if (idle) {
      await this.states.recordIdle(job.name, record.finishedAt);
    } else {
      if (trigger === 'scheduled') em.persist(record);
      await em.flush();
      await this.states.recordRun(job.name, record.finishedAt, record.status === 'succeeded');
    }
    if (record.status === 'succeeded') this.metrics.lastSuccess.set({ job: job.name }, record.finishedAt.getTime() / 1000);
    return record;
  }
}

/** The run's error as operators see it: a database error's own words, never its SQL. */
function describe(error: unknown): string {
  if (error instanceof DriverException) return `${error.name}: ${error.sqlMessage ?? error.code ?? 'database error'}`.slice(0, 2000);
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return message.slice(0, 2000);
}
