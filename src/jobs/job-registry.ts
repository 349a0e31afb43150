import { Injectable } from '@nestjs/common';

export interface JobContext {
  /** Aborted at shutdown: finish the current batch or release claims, then stop. */
  readonly signal: AbortSignal;
  readonly instanceId: string;
}

export interface JobResult {
  /** Items looked at in this run. */
  examined: number;
  /** Items this run changed (expired, synced, delivered, purged…). */
  changed: number;
}

/**
 * A scheduled job: one run does one bounded batch of work and must be safe when several
 * instances run it at the same time (claim work with row locks or skip-locked queries).
 */
export interface ScheduledJob {
  readonly name: string;
  run(context: JobContext): Promise<JobResult>;
}

/** Feature modules register their jobs here; the scheduler runs, records and exposes them. */
@Injectable()
export class JobRegistry {
  private readonly jobs = new Map<string, ScheduledJob>();

  register(job: ScheduledJob): void {
    if (this.jobs.has(job.name)) throw new Error(`Job ${job.name} is registered twice`);
    this.jobs.set(job.name, job);
  }

  get(name: string): ScheduledJob | undefined {
    return this.jobs.get(name);
  }

  all(): ScheduledJob[] {
    return [...this.jobs.values()];
  }
}
