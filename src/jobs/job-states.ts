import { EntityManager, raw } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { JobState } from './job-state.entity';

/**
 * JobState rows, shared by every instance. Writes are upserts that touch only their own
 * columns, so recording a run never undoes a pause another instance just wrote.
 */
@Injectable()
export class JobStates {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async get(job: string): Promise<JobState | null> {
    return this.em.fork().findOne(JobState, { job });
  }

  async all(): Promise<Map<string, JobState>> {
    const rows = await this.em.fork().find(JobState, {});
    return new Map(rows.map((row) => [row.job, row]));
  }

  /**
   * A row for every registered job that has none yet (never paused, never run), so that every
   * job can be paused, resumed or run from the admin panel. Rows that exist are left as they are.
   */
  async ensure(jobs: string[]): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.clock.now();
    const rows = jobs.map((job) => ({ job, paused: false, lastRunAt: null, lastSuccessAt: null, idleRuns: 0, lastIdleAt: null, updatedAt: now }));
    await (this.em.fork() as SqlEntityManager).createQueryBuilder(JobState).insert(rows).onConflict('job').ignore().execute();
  }

  /** Returns whether anything changed (pausing a paused job changes nothing). */
  async setPaused(job: string, paused: boolean): Promise<boolean> {
    const current = await this.get(job);
    if ((current?.paused ?? false) === paused) return false;
    await this.upsert(job, { paused }, ['paused']);
    return true;
  }

  async recordRun(job: string, finishedAt: Date, succeeded: boolean): Promise<void> {
    if (succeeded) await this.upsert(job, { lastRunAt: finishedAt, lastSuccessAt: finishedAt }, ['lastRunAt', 'lastSuccessAt']);
    else await this.upsert(job, { lastRunAt: finishedAt }, ['lastRunAt']);
  }

  /**
   * A scheduled run that found nothing to do: one counter on the job's row instead of a JobRun
   * row every few seconds per instance. An atomic increment, so instances never lose a count.
   */
  async recordIdle(job: string, finishedAt: Date): Promise<void> {
    const em = this.em.fork() as SqlEntityManager;
    await em
      .createQueryBuilder(JobState)
      .update({ idleRuns: raw('idle_runs + 1'), lastIdleAt: finishedAt, lastRunAt: finishedAt, lastSuccessAt: finishedAt, updatedAt: this.clock.now() })
      .where({ job })
      .execute();
  }

  private async upsert(job: string, values: Partial<Pick<JobState, 'paused' | 'lastRunAt' | 'lastSuccessAt'>>, fields: (keyof JobState)[]): Promise<void> {
    await this.em.fork().upsert(
      JobState,
      { job, paused: false, lastRunAt: null, lastSuccessAt: null, idleRuns: 0, lastIdleAt: null, ...values, updatedAt: this.clock.now() },
      { onConflictFields: ['job'], onConflictAction: 'merge', onConflictMergeFields: [...fields, 'updatedAt'] },
    );
  }
}
