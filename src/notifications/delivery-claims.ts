import { EntityManager, LockMode } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock';
import { isPostgres } from '../database/statements';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { Delivery } from './delivery.entity';

export interface ClaimedDelivery {
  delivery: Delivery;
  /** The `locked_until` this claim wrote: only its holder may settle the delivery. */
  lease: Date;
}

export type DeliverySettlement =
  | { state: 'delivered' }
  | { state: 'pending'; nextAttemptAt: Date }
  | { state: 'failed' };

export interface AttemptRecord {
  statusCode: number | null;
  durationMs: number;
  snippet: string | null;
  error: string | null;
  startedAt: Date;
}

/**
 * Leases on due deliveries, so that no two instances send one delivery at the same moment and
 * no HTTP call runs inside a transaction.
 *
 * A claim is one short transaction: due rows are selected (on PostgreSQL `FOR UPDATE SKIP
 * LOCKED`, so instances claiming together take disjoint rows) and get `locked_until` set; the
 * lease keeps them out of other claims after the commit. The delivery is sent with no
 * transaction open, then settled only where `locked_until` still holds this claim's value. An
 * instance that dies mid-delivery leaves its lease to lapse, and the delivery is sent again
 * (at least once). SQLite has no `SKIP LOCKED`: there one instance is assumed.
 */
@Injectable()
export class DeliveryClaims {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + leaseMs);
    return this.em.fork().transactional(async (tx) => {
      const postgres = isPostgres(tx);
      const due = await tx.find(
        Delivery,
        { state: 'pending', nextAttemptAt: { $lte: now }, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] },
        // Unmanaged: the commit must not flush these rows back over the lease written below
        // (on SQLite, loaded `datetime` properties always look changed to the unit of work).
        { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit, disableIdentityMap: true, ...(postgres ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE } : {}) },
      );
      if (due.length === 0) return [];
      await tx.nativeUpdate(Delivery, { id: { $in: due.map((row) => row.id) } }, { lockedUntil: lease });
      return due.map((delivery) => ({ delivery, lease }));
    });
  }

  /**
   * Records the attempt and moves the delivery on. The attempt is kept even when the lease was
   * lost meanwhile (it did happen); the delivery's state is then left to the new holder.
   */
  async settle(claimed: ClaimedDelivery, attempt: AttemptRecord | null, settlement: DeliverySettlement): Promise<boolean> {
    const { delivery, lease } = claimed;
    const now = this.clock.now();
    return this.em.fork().transactional(async (tx) => {
      if (attempt !== null) {
        tx.persist(
          Object.assign(new DeliveryAttempt(), {
            deliveryId: delivery.id,
            eventId: delivery.eventId,
            attempt: delivery.attempts + 1,
            statusCode: attempt.statusCode,
            durationMs: attempt.durationMs,
            responseSnippet: attempt.snippet,
            error: attempt.error,
            createdAt: attempt.startedAt,
          }),
        );
        await tx.flush();
      }
      const changes: Partial<Delivery> = { state: settlement.state, lockedUntil: null };
      if (attempt !== null) changes.attempts = delivery.attempts + 1;
      if (settlement.state === 'delivered') Object.assign(changes, { deliveredAt: now, nextAttemptAt: null });
      if (settlement.state === 'failed') changes.nextAttemptAt = null;
      if (settlement.state === 'pending') changes.nextAttemptAt = settlement.nextAttemptAt;
      return (await tx.nativeUpdate(Delivery, { id: delivery.id, lockedUntil: lease }, changes)) === 1;
    });
  }

  /** Gives a claimed delivery back untouched (shutdown before it was sent). */
  async release(claimed: ClaimedDelivery): Promise<void> {
    await this.em.fork().nativeUpdate(Delivery, { id: claimed.delivery.id, lockedUntil: claimed.lease }, { lockedUntil: null });
  }
}
