/**
 * What the panel needs from the jobs module for the Job states resource's record actions. The
 * jobs module provides it under JOB_ACTIONS (its JobsService fits as is); the panel resolves it
 * lazily, so it runs — and says these actions are unavailable — while no module provides it.
 * The panel never changes a job's state itself: pause, resume and run now go through this service.
 */
export const JOB_ACTIONS = Symbol('JOB_ACTIONS');

export interface JobActions {
  setPaused(name: string, paused: boolean): Promise<unknown>;
  runNow(name: string): Promise<unknown>;
}
