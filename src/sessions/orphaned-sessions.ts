import { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../config/config';
import { PROVIDER_NAMES } from '../providers/provider-list';
import { IDEMPOTENCY_LEASE_MS } from './idempotency.service';
import { SessionTransitions } from './session-transitions';
import { Session } from './session.entity';

export const ORPHAN_FAILURE = {
  code: 'creation_interrupted',
  message: 'paymux stopped while creating the session at the provider; it can not be paid',
  source: 'paymux',
} as const;

/**
 * Longer than a live creation can take: one provider call per provider failover may try, one
 * more, plus a claim's lease.
 */
export function orphanAgeMs(config: AppConfig): number {
  return (PROVIDER_NAMES.length + 1) * config.providerTimeoutMs + IDEMPOTENCY_LEASE_MS;
}

/**
 * Sessions stored `open` whose creation never got the provider's answer (the process died in
 * between, kill -9 or a crash) and that no retry resumed: older than `olderThanMs` (longer than
 * any live creation can take) they can never be paid, so they are failed. Returns how many.
 */
export async function failOrphanedSessions(em: EntityManager, transitions: SessionTransitions, now: Date, olderThanMs: number): Promise<number> {
  const orphans = await em.fork().find(
    Session,
    { status: 'open', providerSessionId: null, createdAt: { $lt: new Date(now.getTime() - olderThanMs) } },
    { fields: ['id'], limit: 200 },
  );
  let failed = 0;
  for (const { id } of orphans) {
    const { outcome } = await transitions.transition(id, { to: 'failed', source: 'scheduler', failure: { ...ORPHAN_FAILURE }, note: 'creation at the provider was interrupted' });
    if (outcome === 'applied') failed++;
  }
  return failed;
}
