/**
 * When a failed delivery is tried again: 1 min, 5 min, 30 min, 2 h after the 1st–4th failures,
 * then every 6 h, until 3 days after the event; past that it is `failed` (a redelivery can still
 * send it). Each delay is stretched by up to 10 % at random so that endpoints that failed
 * together (an outage) are not retried in one burst.
 */
const FIRST_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
const THEN_EVERY_MS = 6 * 3600_000;
export const GIVE_UP_AFTER_MS = 3 * 86400_000;
const JITTER = 0.1;

export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const base = FIRST_DELAYS_MS[Math.max(failedAttempts, 1) - 1] ?? THEN_EVERY_MS;
  return Math.round(base * (1 + JITTER * random()));
}

/** The next attempt after `failedAttempts` failures, or null when it would fall after the deadline. */
export function nextAttemptAt(failedAttempts: number, eventCreatedAt: Date, now: Date, random: () => number = Math.random): Date | null {
  const at = now.getTime() + retryDelayMs(failedAttempts, random);
  return at > eventCreatedAt.getTime() + GIVE_UP_AFTER_MS ? null : new Date(at);
}
