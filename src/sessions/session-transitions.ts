import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { isTerminal, judgeTransition, NotFound, PaymentHold, SessionFailure, SessionStatus, TransitionSource } from '@paymux/payments';
import { Clock } from '../clock';
import { insertEntities, isPostgres, manageRow, runSql, writeChanges } from '../database/statements';
import { EventType, Outbox } from '../notifications/outbox';
import { SessionMetrics } from './session-metrics';
import { SessionEvent } from './session-event.entity';
import { Session } from './session.entity';
import { renderSession } from './session-view';

export interface StatusChange {
  to: SessionStatus;
  source: TransitionSource;
  providerStatus?: string | null;
  failure?: SessionFailure | null;
  note?: string | null;
  /** Entering `requires_capture`: the provider's hold and its deadline. */
  hold?: PaymentHold | null;
  /** Entering `succeeded`: the minor units captured, when not the whole amount. */
  capturedAmount?: number;
}

export type TransitionOutcome = 'applied' | 'unchanged' | 'illegal';

export interface TransitionResult {
  outcome: TransitionOutcome;
  session: Session;
}

/**
 * The one way a session's status changes (API, webhook, sync, scheduler, admin): check the
 * transition table, update the session, write its session event and the outbound event, all in
 * one transaction with the session row locked, so concurrent changes are serialised and cannot
 * both win.
 */
@Injectable()
export class SessionTransitions {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly metrics: SessionMetrics,
  ) {}

  /** Runs `work` in a transaction (or inside the caller's, when `em` is given). */
  inTransaction<T>(work: (em: EntityManager) => Promise<T>, em?: EntityManager): Promise<T> {
    return em ? work(em) : this.em.fork().transactional(work);
  }

  /** The session, read afresh with its row locked (PostgreSQL) for the rest of `em`'s transaction, managed by `em`. */
  async lock(em: EntityManager, sessionId: string): Promise<Session> {
    const session = await readSession(em, 'id = ?', [sessionId], { forUpdate: true });
    if (!session) throw new NotFound('session', sessionId);
    return session;
  }

  transition(sessionId: string, change: StatusChange, em?: EntityManager): Promise<TransitionResult> {
    return this.inTransaction(async (tx) => this.applyLocked(tx, await this.lock(tx, sessionId), change), em);
  }

  /**
   * For callers that already hold the session's lock in `em`'s transaction. A caller changing
   * many sessions in one transaction may pass `flush: false` and flush once at the end.
   */
  async applyLocked(em: EntityManager, session: Session, change: StatusChange, options: { flush?: boolean } = {}): Promise<TransitionResult> {
    const verdict = judgeTransition(session.status, change.to);
    if (verdict.kind !== 'apply') return { outcome: verdict.kind, session };
    const now = this.clock.now();
    const from = session.status;
    session.status = change.to;
    session.updatedAt = now;
    if (verdict.late) session.late = true;
    if (change.providerStatus !== undefined) session.providerStatus = change.providerStatus;
    if (change.to === 'failed') session.failure = change.failure ?? { code: 'unknown', message: 'The provider reported a failure', source: null };
    if (['succeeded', 'failed', 'expired', 'cancelled'].includes(change.to)) session.completedAt = now;
    if (change.to === 'requires_capture') {
      session.authorizedAt ??= now;
      session.captureBefore ??= change.hold?.captureBefore ?? null;
      // The session lives on while its hold does (as a konbini reservation moves it out to its deadline).
      if (session.captureBefore && session.captureBefore > session.expiresAt) session.expiresAt = session.captureBefore;
    }
    if (change.to === 'succeeded') session.capturedAmount = change.capturedAmount ?? session.capturedAmount ?? session.amount;
    await insertEntities(em, [
      Object.assign(new SessionEvent(), {
        sessionId: session.id,
        fromStatus: from,
        toStatus: change.to,
        source: change.source,
        late: verdict.late,
        providerStatus: change.providerStatus ?? null,
        note: change.note ?? null,
        createdAt: now,
      }),
    ]);
    // A manual-capture session's payment taken is `session.captured` (with captured_amount); any other change is named by its status.
    const type = change.to === 'succeeded' && session.captureMethod === 'manual' ? 'session.captured' : (`session.${change.to}` as EventType);
    await this.outbox.record(em, type, { sessionId: session.id, customerId: session.customerId, callbackUrl: session.callbackUrl }, renderSession(session));
    if (options.flush !== false) {
      await writeChanges(em, session);
      await em.flush();
    }
    if (isTerminal(change.to)) this.metrics.sessionFinished(session.provider, change.to, verdict.late);
    return { outcome: 'applied', session };
  }
}

/**
 * The first session matching `where` (SQL over `sessions`' columns, then `order`), read afresh
 * and merged into `em` as its current state, so the changes made to it are flushed with `em`.
 * `forUpdate` locks its row for the rest of `em`'s transaction (PostgreSQL; SQLite serialises
 * writing transactions).
 */
export async function readSession(em: EntityManager, where: string, params: readonly unknown[], options: { forUpdate: boolean; order?: string }): Promise<Session | null> {
  const sql = `select * from sessions where ${where}${options.order ? ` order by ${options.order}` : ''} limit 1${options.forUpdate && isPostgres(em) ? ' for update' : ''}`;
  const [row] = await runSql(em, sql, params);
  return row ? manageRow(em, Session, row) : null;
}
