import { Inject, Injectable } from '@nestjs/common';
import { Conflict, describeAmount, InvalidRequest, PROVIDER_REGISTRY, ProviderRegistry, TransitionSource } from '@paymux/payments';
import { Clock } from '../clock';
import { RoutingMetrics } from '../routing/routing-metrics';
import { SessionTransitions } from './session-transitions';
import { Session } from './session.entity';
import { providerRef } from './provider-ref';

/**
 * Manual capture: takes (part of) a payment on hold. The provider is called with the session's
 * row locked, so concurrent captures of one session are serialised: the first captures, the others
 * find it no longer `requires_capture` and answer 409 without calling the provider. A webhook about
 * the same session waits for the lock and then finds the capture already applied.
 */
@Injectable()
export class SessionCapture {
  constructor(
    private readonly transitions: SessionTransitions,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    private readonly providerMetrics: RoutingMetrics,
    private readonly clock: Clock,
  ) {}

  capture(id: string, requested: number | undefined, source: TransitionSource = 'api'): Promise<Session> {
    return this.transitions.inTransaction(async (tx) => {
      const session = await this.transitions.lock(tx, id);
      const provider = this.registry.get(session.provider);
      if (!provider.capabilities.manualCapture || !provider.capturePayment) {
        throw new InvalidRequest(undefined, `Provider ${session.provider} has no capture call: its sessions are captured automatically`, 'capture_unsupported');
      }
      if (session.status !== 'requires_capture' || session.captureRequestedAt !== null) throw notCapturable(session);
      const authorized = session.amount!;
      const amount = requested ?? authorized;
      if (amount < 1 || amount > authorized) {
        throw new InvalidRequest('amount', `amount must be between 1 and the authorized ${authorized} (${describeAmount(authorized, session.currency!)})`, 'amount_too_large');
      }
      if (amount < authorized && !provider.capabilities.manualCapture.partial) {
        throw new InvalidRequest('amount', `provider ${session.provider} captures only the whole authorized amount (${authorized}); omit amount or send ${authorized}`, 'partial_capture_unsupported');
      }
      const report = await this.providerMetrics.observe(provider.name, 'capture_payment', () => provider.capturePayment!(providerRef(session), amount));
      session.providerStatus = report.providerStatus;
      if (report.status !== 'succeeded') {
        // The provider settles it later (Smart Glocal: `payment_finished`): still on hold until then.
        session.captureRequestedAt = this.clock.now();
        session.updatedAt = session.captureRequestedAt;
        await tx.flush();
        return session;
      }
      await this.transitions.applyLocked(tx, session, {
        to: 'succeeded',
        source,
        providerStatus: report.providerStatus,
        capturedAmount: amount,
        note: `captured ${describeAmount(amount, session.currency!)} of ${describeAmount(authorized, session.currency!)}`,
      });
      return session;
    });
  }
}

function notCapturable(session: Session): Conflict {
  if (session.status === 'succeeded' && session.captureMethod === 'manual') {
    return new Conflict('session_already_captured', `Session ${session.id} was already captured (${session.capturedAmount} in minor units)`);
  }
  if (session.status === 'requires_capture') {
    return new Conflict('capture_in_progress', `Session ${session.id} has a capture the provider is still settling`);
  }
  const why = session.captureMethod === 'manual' ? 'it holds no authorized payment' : 'it was created with automatic capture';
  return new Conflict('session_not_capturable', `Session ${session.id} is ${session.status} and cannot be captured: ${why}`);
}
