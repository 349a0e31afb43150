import { GIVE_UP_AFTER_MS, nextAttemptAt, retryDelayMs } from './retry-schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('retry schedule', () => {
  it.each([
    [1, 1 * MIN],
    [2, 5 * MIN],
    [3, 30 * MIN],
    [4, 2 * HOUR],
    [5, 6 * HOUR],
    [12, 6 * HOUR],
  ])('after failure %i waits %i ms, stretched by at most 10 %%', (failures, base) => {
    expect(retryDelayMs(failures, () => 0)).toBe(base);
    expect(retryDelayMs(failures, () => 0.999999)).toBeLessThanOrEqual(base * 1.1);
    expect(retryDelayMs(failures, () => 0.5)).toBe(base * 1.05);
  });

  it('gives up when the next attempt would fall more than 3 days after the event', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    const lastChance = new Date(created.getTime() + GIVE_UP_AFTER_MS - 6 * HOUR);
    expect(nextAttemptAt(9, created, lastChance, () => 0)).toEqual(new Date(created.getTime() + GIVE_UP_AFTER_MS));
    expect(nextAttemptAt(9, created, new Date(lastChance.getTime() + 1), () => 0)).toBeNull();
  });

  it('keeps trying for at least 24 hours (API.md)', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    let now = created;
    let failures = 0;
    for (;;) {
      failures += 1;
      const next = nextAttemptAt(failures, created, now, () => 1);
      if (next === null) break;
      now = next;
    }
    expect(now.getTime() - created.getTime()).toBeGreaterThan(24 * HOUR);
    expect(failures).toBeGreaterThanOrEqual(12);
  });
});
