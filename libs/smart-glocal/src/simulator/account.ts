import type { CallbackPolicy } from '@paymux/simulator-kit';

/**
 * How the simulated Smart Glocal account is set up (in real life, by the account manager) plus
 * test knobs that make it misbehave. `simulator.account.set({...})` or `POST <base>/__account`.
 */
export interface AccountKnobs {
  /** Automatic confirmation: no `ready_to_confirm`, the payment goes on by itself. */
  autoConfirmation: boolean;
  /** Delayed capture: a hold, `ready_to_capture`, and `session/capture` or `session/cancel`. */
  delayedCapture: boolean;
  /** How long a hold waits for `session/capture` before the money is released (default five days). */
  holdMinutes: number;
  /** Before its final status a finishing payment shows the session `error` (not final) for `errorForMs`. */
  errorFirst: boolean;
  errorForMs: number;
  /** Test fault: the payment is charged (and reported) this many minor units more than asked. */
  chargedAmountOffset: number;
  /** Test fault: the payment is charged (and reported) in this lower-case currency instead. */
  chargedCurrency: string | null;
  /** Test fault: this many `session/confirm` calls are refused with a 500 before one is taken. */
  refuseConfirms: number;
}

export const DEFAULT_ACCOUNT: Readonly<AccountKnobs> = {
  autoConfirmation: false,
  delayedCapture: false,
  // The default hold of delayed capture (`/docs/payments/payment-capture`: 5 days).
  holdMinutes: 5 * 24 * 60,
  errorFirst: false,
  errorForMs: 50,
  chargedAmountOffset: 0,
  chargedCurrency: null,
  refuseConfirms: 0,
};

export class Account {
  private knobs: AccountKnobs;

  constructor(private readonly defaults: AccountKnobs) {
    this.knobs = { ...defaults };
  }

  get current(): Readonly<AccountKnobs> {
    return this.knobs;
  }

  set(changes: Partial<AccountKnobs>): void {
    this.knobs = { ...this.knobs, ...changes };
  }

  reset(): void {
    this.knobs = { ...this.defaults };
  }
}

/**
 * Webhook redelivery (`/docs/reference/webhooks`): on 4xx, 5xx or no answer Smart Glocal resends
 * at growing intervals, up to 15 minutes apart, and stops after 30 minutes. NOT IN PUBLIC DOCS:
 * the exact intervals; these double from one minute and add up to 30 minutes.
 */
export const NOTIFICATION_RETRY_INTERVALS_MS: readonly number[] = [60_000, 120_000, 240_000, 480_000, 900_000];

export const DEFAULT_NOTIFICATION_POLICY: CallbackPolicy = {
  attempts: NOTIFICATION_RETRY_INTERVALS_MS.length + 1,
  intervalMs: NOTIFICATION_RETRY_INTERVALS_MS[0],
  intervalsMs: NOTIFICATION_RETRY_INTERVALS_MS,
  timeoutMs: 10_000,
};

/** A policy with the same shape, scaled down for tests: `scaledNotificationPolicy(0.001)` lasts 1.8 s. */
export function scaledNotificationPolicy(factor: number): CallbackPolicy {
  const intervalsMs = NOTIFICATION_RETRY_INTERVALS_MS.map((ms) => Math.max(1, Math.round(ms * factor)));
  return { ...DEFAULT_NOTIFICATION_POLICY, intervalsMs, intervalMs: intervalsMs[0], timeoutMs: 2_000 };
}
