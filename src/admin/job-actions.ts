/**
 * What the panel needs from the jobs module for the Job states resource's record actions. The
 * panel resolves the jobs module's JobsService (which fits as is) lazily, so it runs — and says
 * these actions are unavailable — while no module provides it. The panel never changes a job's
 * state itself: pause, resume and run now go through this service.
 */
export interface JobActions {
  setPaused(name: string, paused: boolean): Promise<unknown>;
  runNow(name: string): Promise<unknown>;
}
