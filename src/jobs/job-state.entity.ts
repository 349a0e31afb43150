import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Shared by every instance: pausing a job here pauses it everywhere. */
@Entity({ tableName: 'job_states' })
export class JobState {
  @PrimaryKey({ length: 64 })
  job!: string;

  @Property({ default: false })
  paused: boolean = false;

  @Property({ type: 'datetime', nullable: true })
  lastRunAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  lastSuccessAt: Date | null = null;

  /** Scheduled runs that found nothing to do: counted here instead of one JobRun row each. */
  @Property({ default: 0 })
  idleRuns: number = 0;

  @Property({ type: 'datetime', nullable: true })
  lastIdleAt: Date | null = null;

  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
