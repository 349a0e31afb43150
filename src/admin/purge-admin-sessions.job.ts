import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry, JobResult, ScheduledJob } from '../jobs/job-registry';
import { AdminSessionStore } from './admin-session-store';
import { LoginThrottle } from './login-throttle';

/** Deletes expired admin panel sessions and failed sign-ins older than the throttle's window. */
@Injectable()
export class PurgeAdminSessionsJob implements ScheduledJob, OnModuleInit {
  readonly name = 'purge-admin-sessions';

  constructor(
    private readonly sessions: AdminSessionStore,
    private readonly throttle: LoginThrottle,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(): Promise<JobResult> {
    const purged = (await this.sessions.purgeExpired()) + (await this.throttle.purgeOld());
    return { examined: purged, changed: purged };
  }
}
