/**
 * Failed admin logins per (e-mail, client IP): after MAX_FAILURES within WINDOW_MS the pair is
 * refused until the oldest failure leaves the window. Kept in memory, so the limit applies per
 * instance and resets on restart; that bounds online guessing without a shared store.
 */
export const LOGIN_THROTTLE = { maxFailures: 5, windowMs: 15 * 60 * 1000 } as const;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits: { maxFailures: number; windowMs: number } = LOGIN_THROTTLE,
  ) {}

  isBlocked(email: string, ip: string): boolean {
    return this.recent(keyOf(email, ip)).length >= this.limits.maxFailures;
  }

  recordFailure(email: string, ip: string): void {
    const key = keyOf(email, ip);
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent);
    if (this.failures.size > 100_000) this.prune();
  }

  recordSuccess(email: string, ip: string): void {
    this.failures.delete(keyOf(email, ip));
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    return (this.failures.get(key) ?? []).filter((at) => at > since);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) {
      if (this.recent(key).length === 0) this.failures.delete(key);
    }
  }
}

function keyOf(email: string, ip: string): string {
  return `${email.trim().toLowerCase()}|${ip}`;
}
