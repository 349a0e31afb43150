/**
 * What the panel needs from the notifications module for the Events resource's Redeliver. The
 * panel resolves the notifications module's EventsService (which fits as is) lazily, so it runs
 * — and says redelivery is unavailable — while no module provides it. The panel never changes a
 * delivery itself.
 */
export interface EventActions {
  redeliver(id: string): Promise<unknown>;
}
