import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobRegistry, JobResult, ScheduledJob } from './job-registry';
import { JobRun } from './job-run.entity';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Job runs are kept JOB_RUNS_RETENTION_DAYS (14 by default), then deleted; the idle counters on
 * the job states and the metrics keep the long view. A run left `running` by a killed instance
 * goes with the others once it is that old.
 */
@Injectable()
export class PruneJobRunsJob implements ScheduledJob, OnModuleInit {
  readonly name = 'prune-job-runs';

  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
    private readonly registry: JobRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(): Promise<JobResult> {
    const before = new Date(this.clock.now().getTime() - this.config.jobs.runRetentionDays * DAY_MS);
    const pruned = await this.em.fork().nativeDelete(JobRun, { startedAt: { $lt: before } });
    return { examined: pruned, changed: pruned };
  }
}
