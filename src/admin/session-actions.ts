import type { TransitionSource } from '@paymux/payments';

/**
 * What the panel needs from the sessions module for its record actions. The panel resolves the
 * sessions module's SessionsService (which fits as is) lazily, so it runs — and says these
 * actions are unavailable — while no module provides it. The panel never changes a session
 * itself: every change goes through this service.
 */
export interface SessionActions {
  sync(id: string, source: TransitionSource): Promise<unknown>;
  cancel(id: string, source: TransitionSource): Promise<unknown>;
}
