import { randomUUID } from 'node:crypto';
import { EntityManager, FilterQuery, LockMode, QueryOrderMap } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { isPostgres } from '../database/statements';
import { Session } from '../sessions/session.entity';

export interface ClaimRequest {
  /** Which sessions qualify (besides being unclaimed). */
  where: FilterQuery<Session>;
  orderBy: QueryOrderMap<Session>[];
  limit: number;
  leaseMs: number;
  instanceId: string;
}

export interface Claim {
  /** Written to `claimed_by`: only the holder of this token may release or act on the claim. */
  token: string;
  sessions: Session[];
}

/**
 * Short leases on sessions for the jobs that must call a provider before changing them.
 *
 * Why a lease rather than a row lock held for the whole batch: a provider call can take up to
 * PROVIDER_TIMEOUT_MS, and a transaction left open across it would hold row locks (blocking the
 * provider's own callbacks for that session) and a pooled connection for that long. So a job
 * (1) claims a batch in one short transaction — on PostgreSQL the candidate rows are selected
 * `FOR UPDATE SKIP LOCKED`, so two instances claiming at once take disjoint batches, and the
 * lease (`claimed_until`, `claimed_by`) keeps them disjoint after that transaction commits;
 * (2) calls the provider with no transaction open; (3) changes each session under its row lock
 * through SessionTransitions, in one transaction per batch, which also releases the claims.
 * A lease whose holder died lapses at `claimed_until` and another instance takes the session.
 * Callbacks never look at claims: they lock the row, so a callback and a job are serialised by
 * the row lock and the state machine decides (a payment after expiry is marked late).
 *
 * SQLite has no `SKIP LOCKED`; there a single instance is assumed (see src/jobs/README.md).
 */
@Injectable()
export class SessionClaims {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async claim(request: ClaimRequest): Promise<Claim> {
    const token = `${request.instanceId}/${randomUUID()}`;
    const now = this.clock.now();
    const sessions = await this.em.fork().transactional(async (tx) => {
      const rows = await tx.find(
        Session,
        { $and: [request.where, { $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }] }] },
        { orderBy: request.orderBy, limit: request.limit, ...(isPostgres(tx) ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}) },
      );
      if (rows.length === 0) return [];
      await tx.nativeUpdate(Session, { id: { $in: rows.map((row) => row.id) } }, { claimedUntil: new Date(now.getTime() + request.leaseMs), claimedBy: token });
      return rows;
    });
    return { token, sessions };
  }

  /** Locks the claimed sessions this token still holds, in id order, inside `tx`. */
  lockHeld(tx: EntityManager, claim: Claim): Promise<Session[]> {
    return tx.find(
      Session,
      { id: { $in: claim.sessions.map((session) => session.id) }, claimedBy: claim.token },
      { orderBy: { id: 'asc' }, refresh: true, ...(isPostgres(tx) ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) },
    );
  }

  /** Gives the sessions back (optionally keeping them until `until`, as a back-off). */
  async release(claim: Claim, ids: string[] = claim.sessions.map((session) => session.id), until: Date | null = null, em?: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await (em ?? this.em.fork()).nativeUpdate(
      Session,
      { id: { $in: ids }, claimedBy: claim.token },
      until === null ? { claimedUntil: null, claimedBy: null } : { claimedUntil: until },
    );
  }
}
