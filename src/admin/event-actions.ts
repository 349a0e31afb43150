/**
 * What the panel needs from the notifications module for the Events resource's Redeliver. The
 * notifications module provides it under EVENT_ACTIONS (its EventsService fits as is); the panel
 * resolves it lazily, so it runs — and says redelivery is unavailable — while no module provides
 * it. The panel never changes a delivery itself.
 */
export const EVENT_ACTIONS = Symbol('EVENT_ACTIONS');

export interface EventActions {
  redeliver(id: string): Promise<unknown>;
}
