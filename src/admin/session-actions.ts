import type { TransitionSource } from '@paymux/payments';

/**
 * What the panel needs from the sessions module for its record actions. The sessions module
 * provides it under SESSION_ACTIONS (its SessionsService fits as is); the panel resolves it
 * lazily, so it runs — and says these actions are unavailable — while no module provides it.
 * The panel never changes a session itself: every change goes through this service.
 */
export const SESSION_ACTIONS = Symbol('SESSION_ACTIONS');

export interface SessionActions {
  sync(id: string, source: TransitionSource): Promise<unknown>;
  cancel(id: string, source: TransitionSource): Promise<unknown>;
}
