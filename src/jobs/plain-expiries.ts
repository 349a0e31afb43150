import { EntityManager } from '@mikro-orm/core';
import { judgeTransition, SessionStatus } from '@paymux/payments';
import { isPostgres, placeholders, queryEntities, runSql } from '../database/statements';
import { Outbox } from '../notifications/outbox';
import { Session } from '../sessions/session.entity';
import { renderSession } from '../sessions/session-view';

/** Sessions a set-based batch expires at most (one UPDATE … RETURNING per status it leaves). */
export const PLAIN_EXPIRY_BATCH_SIZE = 1000;

export interface PlainExpiryBatch {
  /** The job's clock: `updated_at`, `completed_at` and the events' times. */
  now: Date;
  /** Only sessions whose `expires_at` is before this (expires_at + the grace period). */
  cutoff: Date;
  /** Only sessions no provider session was ever created for (else every stale session). */
  withoutProviderSession: boolean;
  /** The session events' note: why no provider was asked. */
  note: string;
  limit: number;
}

/** What a plain expiry leaves: the states the transition table lets become `expired`. */
const EXPIRABLE: SessionStatus[] = (['open', 'processing'] as const).filter((from) => judgeTransition(from, 'expired').kind === 'apply');

/**
 * Expiries that need no provider call (EXPIRY_CHECK_PROVIDER off, or no provider session to
 * ask about), set-based in one transaction: per status left, one `UPDATE … RETURNING` picks and
 * expires the batch (still that status, past the cutoff, not claimed by a job asking a provider;
 * on PostgreSQL its rows are taken `FOR UPDATE SKIP LOCKED`, so a callback holding a session's
 * lock keeps it, and the update's own WHERE re-checks the status once the lock is had), then
 * one `INSERT … SELECT` writes their session events and the outbox one INSERT each for the
 * events and deliveries. The same rows as SessionTransitions writes for open/processing →
 * expired: never late, completed_at set, one session event and one outbound event each.
 */
export async function expirePlainBatch(em: EntityManager, outbox: Outbox, batch: PlainExpiryBatch): Promise<Session[]> {
  return em.fork().transactional(async (tx) => {
    const expired: Session[] = [];
    for (const from of EXPIRABLE) {
      const left = batch.limit - expired.length;
      if (left <= 0) break;
      const sessions = await queryEntities(tx, Session, expireStatement(isPostgres(tx), batch.withoutProviderSession), [
        batch.now, batch.now, from, batch.cutoff, batch.now, left, from, batch.cutoff, batch.now,
      ]);
      if (sessions.length === 0) continue;
      const verdict = judgeTransition(from, 'expired');
      const late = verdict.kind === 'apply' && verdict.late;
      await runSql(
        tx,
        `insert into session_events (session_id, from_status, to_status, source, late, provider_status, note, created_at)
         select id, ?, 'expired', 'scheduler', ?, null, ?, ? from sessions where id in (${placeholders(sessions.length)})`,
        [from, late, batch.note, batch.now, ...sessions.map((session) => session.id)],
      );
      expired.push(...sessions);
    }
    await outbox.insertMany(
      tx,
      'session.expired',
      expired.map((session) => ({
        subject: { sessionId: session.id, customerId: session.customerId, callbackUrl: session.callbackUrl },
        object: renderSession(session),
      })),
    );
    return expired;
  });
}

/**
 * Bound as: now (updated_at), now (completed_at), from, cutoff, now (claim lapsed), limit, then
 * from, cutoff, now again for the re-check.
 */
function expireStatement(postgres: boolean, withoutProviderSession: boolean): string {
  const unclaimed = '(claimed_until is null or claimed_until < ?)';
  const providerless = withoutProviderSession ? ' and provider_session_id is null' : '';
  return `update sessions set status = 'expired', updated_at = ?, completed_at = ?
    where id in (select id from sessions where status = ? and expires_at < ? and ${unclaimed}${providerless}
                  order by expires_at limit ?${postgres ? ' for update skip locked' : ''})
      and status = ? and expires_at < ? and ${unclaimed}${providerless}
    returning *`;
}
