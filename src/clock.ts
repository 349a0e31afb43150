import { Global, Injectable, Module } from '@nestjs/common';
import type { Clock as TimeSource } from '@paymux/payments';

/**
 * The application's source of time. Everything that compares against "now" (expiry, retry
 * schedules, idempotency lifetimes) asks this, so tests move time instead of sleeping.
 */
@Injectable()
export class Clock implements TimeSource {
  private offsetMs = 0;
  private frozen: number | null = null;

  now(): Date {
    return new Date(this.frozen ?? Date.now() + this.offsetMs);
  }

  /** Test hook: move time forward by `ms`. */
  advance(ms: number): void {
    if (this.frozen !== null) this.frozen += ms;
    else this.offsetMs += ms;
  }

  /** Test hook: stop time at `at` (or now). */
  freeze(at: Date = this.now()): void {
    this.frozen = at.getTime();
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozen = null;
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
