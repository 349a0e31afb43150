import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { RefundsModule } from '../refunds/refunds.module';
import { RoutingModule } from '../routing/routing.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ExpireSessionsJob } from './expire-sessions.job';
import { JobHealth } from './job-health';
import { JobMetrics } from './job-metrics';
import { JobRunner } from './job-runner';
import { JobScheduler } from './job-scheduler';
import { JobStates } from './job-states';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { ProviderChecks } from './provider-checks';
import { PruneJobRunsJob } from './prune-job-runs.job';
import { PurgeIdempotencyKeysJob } from './purge-idempotency-keys.job';
import { ReconcileRefundsJob } from './reconcile-refunds.job';
import { ReconcileSessionsJob } from './reconcile-sessions.job';
import { SessionClaims } from './session-claims';

/** The scheduler, the run records, the operators' API, and the session and idempotency jobs. */
@Module({
  imports: [ScheduleModule.forRoot(), SessionsModule, RefundsModule, RoutingModule],
  controllers: [JobsController],
  providers: [
    JobMetrics, JobStates, JobRunner, JobScheduler, JobHealth, JobsService, SessionClaims, ProviderChecks,
    ExpireSessionsJob, ReconcileSessionsJob, ReconcileRefundsJob, PurgeIdempotencyKeysJob, PruneJobRunsJob,
  ],
  exports: [JobsService, JobRunner],
})
export class JobsModule {}
