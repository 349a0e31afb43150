import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { JobList, JobRunList, JobRunView, JobView, ListJobRunsQuery } from './dto/job.view';
import { JobsService } from './jobs.service';
import { Idempotent } from '../sessions/idempotent.decorator';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: '1–255 characters; the first complete answer is replayed for 24 h' };
const unknownJob = { description: 'No job has this name' };

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOkResponse({ type: JobList })
  list() {
    return this.jobs.list();
  }

  @Get(':name/runs')
  @ApiOkResponse({ type: JobRunList, description: 'Runs by every instance, newest first' })
  @ApiNotFoundResponse(unknownJob)
  runs(@Param('name') name: string, @Query() query: ListJobRunsQuery) {
    return this.jobs.runs(name, query);
  }

  @Idempotent()
  @Post(':name/run')
  @HttpCode(200)
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: JobRunView, description: 'Runs the job now in this instance (even when paused) and answers the finished run' })
  @ApiNotFoundResponse(unknownJob)
  @ApiConflictResponse({ description: 'The job is already running in this instance' })
  runNow(@Param('name') name: string): Promise<JobRunView> {
    return this.jobs.runNow(name);
  }

  @Idempotent()
  @Post(':name/pause')
  @HttpCode(200)
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: JobView, description: 'Paused for every instance; pausing a paused job changes nothing' })
  @ApiNotFoundResponse(unknownJob)
  pause(@Param('name') name: string): Promise<JobView> {
    return this.jobs.setPaused(name, true);
  }

  @Idempotent()
  @Post(':name/resume')
  @HttpCode(200)
  @ApiHeader(idempotencyHeader)
  @ApiOkResponse({ type: JobView })
  @ApiNotFoundResponse(unknownJob)
  resume(@Param('name') name: string): Promise<JobView> {
    return this.jobs.setPaused(name, false);
  }
}
