import { ApiProperty } from '@nestjs/swagger';
import { PageQuery } from '../../http/pagination';

export class JobRunView {
  @ApiProperty({ example: 'run_01JD…' }) id!: string;
  @ApiProperty({ enum: ['job_run'] }) object!: 'job_run';
  @ApiProperty({ example: 'expire-sessions' }) job!: string;
  @ApiProperty({ description: 'The instance (INSTANCE_ID) that ran it' }) instance_id!: string;
  @ApiProperty() started_at!: string;
  @ApiProperty({ type: String, nullable: true }) finished_at!: string | null;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed', 'skipped'] }) status!: string;
  @ApiProperty({ description: 'Items looked at' }) examined!: number;
  @ApiProperty({ description: 'Items changed (expired, synced, purged…)' }) changed!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class JobView {
  @ApiProperty({ enum: ['job'] }) object!: 'job';
  @ApiProperty({ example: 'expire-sessions' }) name!: string;
  @ApiProperty({ description: 'The schedule: one run every this many seconds (JOB_<NAME>_INTERVAL_SECONDS)', example: 30 }) interval_seconds!: number;
  @ApiProperty({ description: 'Scheduled in the answering instance (JOBS_ENABLED, JOBS_DISABLED)' }) enabled!: boolean;
  @ApiProperty({ description: 'Paused for every instance' }) paused!: boolean;
  @ApiProperty({ description: 'A run is in progress in the answering instance' }) running!: boolean;
  @ApiProperty({ type: JobRunView, nullable: true, description: 'The latest run, by any instance' }) last_run!: JobRunView | null;
  @ApiProperty({ type: String, nullable: true }) last_success_at!: string | null;
  @ApiProperty({ description: 'Scheduled runs, by any instance, that found nothing to do (counted, not kept as runs)' }) idle_runs!: number;
  @ApiProperty({ type: String, nullable: true, description: 'When the latest of those finished' }) last_idle_at!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The answering instance's next tick; null when paused or not scheduled here" }) next_run_at!: string | null;
}

export class JobList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [JobView] }) data!: JobView[];
  @ApiProperty() has_more!: boolean;
}

export class JobRunList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [JobRunView] }) data!: JobRunView[];
  @ApiProperty() has_more!: boolean;
}

export class ListJobRunsQuery extends PageQuery {}
