import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../database/ids';

@Entity({ tableName: 'job_runs' })
@Index({ properties: ['job', 'startedAt'] })
export class JobRun {
  @PrimaryKey({ length: 40 })
  id: string = newId('run');

  @Property({ length: 64 })
  job!: string;

  @Property({ length: 128 })
  instanceId!: string;

  @Property()
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  /** running | succeeded | failed | skipped */
  @Property({ length: 16 })
  status: 'running' | 'succeeded' | 'failed' | 'skipped' = 'running';

  @Property({ default: 0 })
  examined: number = 0;

  @Property({ default: 0 })
  changed: number = 0;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;
}
