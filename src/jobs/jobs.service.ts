import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { NotFound } from '@paymux/payments';
import { pageLimit, toList } from '../http/pagination';
import { JobRunView, JobView, ListJobRunsQuery } from './dto/job.view';
import { JobRegistry, ScheduledJob } from './job-registry';
import { JobRun } from './job-run.entity';
import { JobRunner } from './job-runner';
import { JobScheduler } from './job-scheduler';
import { JobState } from './job-state.entity';
import { JobStates } from './job-states';

/** What operators see and do with jobs (REST and the admin panel call this). */
@Injectable()
export class JobsService {
  constructor(
    private readonly em: EntityManager,
    private readonly registry: JobRegistry,
    private readonly runner: JobRunner,
    private readonly scheduler: JobScheduler,
    private readonly states: JobStates,
  ) {}

  async list(): Promise<{ object: 'list'; data: JobView[]; has_more: false }> {
    const states = await this.states.all();
    const jobs = [...this.registry.all()].sort((a, b) => a.name.localeCompare(b.name));
    const data = await Promise.all(jobs.map((job) => this.render(job, states.get(job.name) ?? null)));
    return { object: 'list', data, has_more: false };
  }

  async get(name: string): Promise<JobView> {
    const job = this.find(name);
    return this.render(job, await this.states.get(job.name));
  }

  async runs(name: string, query: ListJobRunsQuery) {
    const job = this.find(name);
    const limit = pageLimit(query);
    const where: Record<string, unknown> = { job: job.name };
    if (query.starting_after !== undefined) where.id = { $lt: query.starting_after };
    const rows = await this.em.fork().find(JobRun, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toList(rows, limit, renderRun);
  }

  async runNow(name: string): Promise<JobRunView> {
    return renderRun(await this.runner.runNow(this.find(name)));
  }

  async setPaused(name: string, paused: boolean): Promise<JobView> {
    const job = this.find(name);
    await this.states.setPaused(job.name, paused);
    return this.get(job.name);
  }

  private find(name: string): ScheduledJob {
    const job = this.registry.get(name);
    if (!job) throw new NotFound('job', name);
    return job;
  }

  private async render(job: ScheduledJob, state: JobState | null): Promise<JobView> {
    const lastRun = await this.em.fork().findOne(JobRun, { job: job.name }, { orderBy: { id: 'desc' } });
    const paused = state?.paused ?? false;
    const next = this.scheduler.nextRunAt(job.name);
    return {
      object: 'job',
      name: job.name,
      interval_seconds: this.scheduler.intervalSeconds(job.name),
      enabled: this.scheduler.isEnabled(job.name),
      paused,
      running: this.runner.isRunning(job.name),
      last_run: lastRun ? renderRun(lastRun) : null,
      last_success_at: state?.lastSuccessAt?.toISOString() ?? null,
      idle_runs: state?.idleRuns ?? 0,
      last_idle_at: state?.lastIdleAt?.toISOString() ?? null,
      next_run_at: next && !paused ? next.toISOString() : null,
    };
  }
}

export function renderRun(run: JobRun): JobRunView {
  return {
    id: run.id,
    object: 'job_run',
    job: run.job,
    instance_id: run.instanceId,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    status: run.status,
    examined: run.examined,
    changed: run.changed,
    error: run.error,
  };
}
