import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PaymentProvider, UnifiedSessionRequest } from '@paymux/payments';

/** Waits before each try: the provider has just timed out, so give it time. */
const RETRY_DELAYS_MS = [1000, 5000, 30000];

/**
 * A creation call that timed out may still have made a session at the provider. paymux never
 * learnt its id or URL, so the buyer cannot reach it through paymux, and that provider's
 * callbacks no longer match the paymux session (it moved on, or failed). Where the provider can
 * cancel and takes idempotency keys (Smart Glocal, KOMOJU), this also cancels it there: the same
 * request is sent again with the same idempotency key — the provider answers the session the
 * lost call made (or makes one now) — and that session is cancelled. Best effort, in the
 * background, a few tries; lost if the process stops (the session then expires at the provider).
 */
@Injectable()
export class AbandonedAttempts implements OnModuleDestroy {
  private readonly logger = new Logger('routing');
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  /** Whether a timed-out attempt at this provider can be cancelled there. */
  canNeutralise(provider: PaymentProvider): boolean {
    return provider.capabilities.cancel && typeof provider.cancelSession === 'function';
  }

  neutralise(provider: PaymentProvider, request: UnifiedSessionRequest, done?: (cancelled: boolean) => void): void {
    if (!this.canNeutralise(provider)) return done?.(false);
    const attempt = (index: number) => {
      if (this.closed) return done?.(false);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.cancelAt(provider, request).then(
          () => {
            this.logger.log({ provider: provider.name, sessionId: request.sessionId }, 'cancelled the provider session of a timed-out attempt');
            done?.(true);
          },
          (error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            if (index + 1 < RETRY_DELAYS_MS.length) return attempt(index + 1);
            this.logger.warn({ provider: provider.name, sessionId: request.sessionId, reason }, 'could not cancel the provider session of a timed-out attempt; it expires at the provider');
            done?.(false);
          },
        );
      }, RETRY_DELAYS_MS[index]);
      timer.unref();
      this.timers.add(timer);
    };
    attempt(0);
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async cancelAt(provider: PaymentProvider, request: UnifiedSessionRequest): Promise<void> {
    const made = await provider.createSession(request);
    await provider.cancelSession!({ id: request.sessionId, providerSessionId: made.providerSessionId, currency: request.currency, amount: request.amount });
  }
}
