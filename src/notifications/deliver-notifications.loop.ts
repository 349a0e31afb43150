import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DeliverNotificationsJob, MAX_DELIVERIES_PER_RUN } from './deliver-notifications.job';

/**
 * TEMPORARY: runs `deliver-notifications` every JOB_DELIVER_NOTIFICATIONS_INTERVAL_SECONDS until
 * the scheduler (src/jobs) runs the jobs registered in JobRegistry. When it does, delete this
 * file and its line in notifications.module.ts; nothing else refers to it.
 *
 * Honours JOBS_ENABLED and JOBS_DISABLED like the scheduler. Runs never overlap in this
 * instance; a run that stopped at its size bound is followed at once by the next.
 */
@Injectable()
export class DeliverNotificationsLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('notifications');
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly job: DeliverNotificationsJob,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled || this.config.jobs.disabled.includes(this.job.name)) return;
    this.schedule(this.intervalMs());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private intervalMs(): number {
    return (this.config.jobs.intervals[this.job.name] ?? 5) * 1000;
  }

  private schedule(delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let full = false;
    try {
      const result = await this.job.run({ signal: this.stopping.signal, instanceId: this.config.jobs.instanceId });
      full = result.examined >= MAX_DELIVERIES_PER_RUN;
    } catch (error) {
      // The database is unreachable or similar: claims lapse by themselves; the next tick retries.
      this.logger.error({ err: error }, 'deliver-notifications run failed');
    }
    this.schedule(full ? 0 : this.intervalMs());
  }
}
