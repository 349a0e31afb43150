import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../clock';
import { IDEMPOTENCY_TTL_MS, IdempotencyService } from '../sessions/idempotency.service';
import { JobRegistry, JobResult, ScheduledJob } from './job-registry';

/** Idempotency records are replayed for 24 h (API.md); older ones are deleted. */
@Injectable()
export class PurgeIdempotencyKeysJob implements ScheduledJob, OnModuleInit {
  readonly name = 'purge-idempotency-keys';

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(): Promise<JobResult> {
    const purged = await this.idempotency.purgeOlderThan(new Date(this.clock.now().getTime() - IDEMPOTENCY_TTL_MS));
    return { examined: purged, changed: purged };
  }
}
