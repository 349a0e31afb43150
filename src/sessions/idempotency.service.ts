import { createHash } from 'node:crypto';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Conflict, IdempotencyKeyReused, InvalidRequest } from '@paymux/payments';
import { Clock } from '../clock';
import { IdempotencyRecord } from './idempotency-record.entity';
export { ReplayedAnswer } from '../http/replayed-answer';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * How long an in-flight claim holds without its owner renewing it. The owner renews it every
 * third of that while the request runs, so a retry after a crash (kill -9) takes over within
 * seconds instead of waiting out the longest possible request.
 */
export const IDEMPOTENCY_LEASE_MS = 6_000;

export type IdempotencyStart =
  /** `sessionId`: the session a dead owner stored under this key, for the retry to resume. */
  | { kind: 'started'; recordId: number; sessionId: string | null }
  | { kind: 'replay'; status: number; body: string };

export function requestFingerprint(method: string, path: string, rawBody: Buffer | undefined): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(rawBody ?? Buffer.alloc(0)).digest('hex');
}

export function checkIdempotencyKey(key: string): void {
  if (key.length < 1 || key.length > 255) throw new InvalidRequest('Idempotency-Key', 'Idempotency-Key must be 1 to 255 characters');
}

/**
 * Idempotency-Key records: the first request with a key claims it (a unique row); the same key
 * with the same request replays the stored answer, with another request is a 422, and while the
 * first is still running a 409. An owner that died lets its claim lapse after `lockedUntil`.
 */
@Injectable()
export class IdempotencyService {
  private readonly claimMs = IDEMPOTENCY_LEASE_MS;

  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async start(apiKeyId: string, key: string, fingerprint: string): Promise<IdempotencyStart> {
    const now = this.clock.now();
    const em = this.em.fork();
    const record = Object.assign(new IdempotencyRecord(), {
      apiKeyId, key, fingerprint, state: 'in_flight', lockedUntil: new Date(now.getTime() + this.claimMs), createdAt: now,
    });
    try {
      await em.persistAndFlush(record);
      return { kind: 'started', recordId: record.id, sessionId: null };
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    const existing = await this.em.fork().findOne(IdempotencyRecord, { apiKeyId, key });
    if (!existing) return this.start(apiKeyId, key, fingerprint);
    if (existing.createdAt.getTime() + IDEMPOTENCY_TTL_MS <= now.getTime()) {
      await this.em.fork().nativeDelete(IdempotencyRecord, { id: existing.id, createdAt: existing.createdAt });
      return this.start(apiKeyId, key, fingerprint);
    }
    if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
    if (existing.state === 'completed') return { kind: 'replay', status: existing.responseStatus!, body: existing.responseBody! };
    if (existing.lockedUntil.getTime() > now.getTime()) {
      throw new Conflict('idempotency_in_flight', 'A request with this Idempotency-Key is still being processed; retry later');
    }
    const taken = await this.em.fork().nativeUpdate(
      IdempotencyRecord,
      { id: existing.id, state: 'in_flight', lockedUntil: existing.lockedUntil },
      { lockedUntil: new Date(now.getTime() + this.claimMs) },
    );
    if (taken !== 1) throw new Conflict('idempotency_in_flight', 'A request with this Idempotency-Key is still being processed; retry later');
    return { kind: 'started', recordId: existing.id, sessionId: existing.sessionId };
  }

  /** The owner is alive: hold the claim for another lease. */
  async renew(recordId: number): Promise<void> {
    await this.em.fork().nativeUpdate(IdempotencyRecord, { id: recordId, state: 'in_flight' }, { lockedUntil: new Date(this.clock.now().getTime() + this.claimMs) });
  }

  /** The session this claim's request stored, before it calls the provider. */
  async attachSession(recordId: number, sessionId: string): Promise<void> {
    await this.em.fork().nativeUpdate(IdempotencyRecord, { id: recordId }, { sessionId });
  }

  async complete(recordId: number, status: number, body: string): Promise<void> {
    await this.em.fork().nativeUpdate(IdempotencyRecord, { id: recordId }, { state: 'completed', responseStatus: status, responseBody: body });
  }

  /** The request ended without a complete answer (a bug): let a retry run it again. */
  async release(recordId: number): Promise<void> {
    await this.em.fork().nativeDelete(IdempotencyRecord, { id: recordId, state: 'in_flight' });
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    return this.em.fork().nativeDelete(IdempotencyRecord, { createdAt: { $lt: cutoff } });
  }
}
