import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { LoginFailure } from './login-failure.entity';

/**
 * Failed admin sign-ins within WINDOW_MS, counted per e-mail (guessing one account's password
 * from many addresses) and per client address (one address trying many accounts). Either limit
 * reached refuses the sign-in until the oldest failure leaves the window. The failures are rows
 * in the database, so the limits hold across instances and restarts. The client address is
 * Fastify's `request.ip`: the proxy's X-Forwarded-For only when TRUST_PROXY is on.
 */
export const LOGIN_THROTTLE = { maxFailuresPerEmail: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60 * 1000 } as const;

export interface LoginLimits {
  maxFailuresPerEmail: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

@Injectable()
export class LoginThrottle {
  readonly limits: LoginLimits = LOGIN_THROTTLE;

  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async isBlocked(email: string, clientAddress: string): Promise<boolean> {
    const em = this.em.fork();
    const since = this.windowStart();
    const [byEmail, byAddress] = await Promise.all([
      em.count(LoginFailure, { email: normalized(email), failedAt: { $gt: since } }),
      em.count(LoginFailure, { clientAddress, failedAt: { $gt: since } }),
    ]);
    return byEmail >= this.limits.maxFailuresPerEmail || byAddress >= this.limits.maxFailuresPerAddress;
  }

  async recordFailure(email: string, clientAddress: string): Promise<void> {
    const failure = Object.assign(new LoginFailure(), { email: normalized(email).slice(0, 320), clientAddress: clientAddress.slice(0, 64), failedAt: this.clock.now() });
    await this.em.fork().persistAndFlush(failure);
  }

  /** A successful sign-in forgets the failures of that e-mail from that address. */
  async recordSuccess(email: string, clientAddress: string): Promise<void> {
    await this.em.fork().nativeDelete(LoginFailure, { email: normalized(email), clientAddress });
  }

  /** Failures older than the window count for nothing; returns how many were deleted. */
  purgeOld(): Promise<number> {
    return this.em.fork().nativeDelete(LoginFailure, { failedAt: { $lte: this.windowStart() } });
  }

  private windowStart(): Date {
    return new Date(this.clock.now().getTime() - this.limits.windowMs);
  }
}

function normalized(email: string): string {
  return email.trim().toLowerCase();
}
