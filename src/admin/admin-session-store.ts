import { createHash } from 'node:crypto';
import { EntityManager } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock';
import { AdminSession } from './admin-session.entity';

type Callback<T = void> = (error?: Error | null, value?: T) => void;

/** What @fastify/session hands the store: JSON-serialisable, with the cookie's expiry. */
interface StoredSession {
  cookie?: { expires?: Date | string | null };
}

const FALLBACK_LIFETIME_MS = 8 * 3600 * 1000;

/**
 * @fastify/session's store, in the database: every instance reads the same sessions, and a
 * restart signs nobody out. Rows are keyed by the SHA-256 of the session id; an expired row
 * reads as no session, and the purge-admin-sessions job deletes it.
 */
@Injectable()
export class AdminSessionStore {
  private readonly logger = new Logger('admin');

  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  set(sessionId: string, session: StoredSession, callback: Callback): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires) : new Date(this.clock.now().getTime() + FALLBACK_LIFETIME_MS);
    const row = { id: keyOf(sessionId), data: JSON.stringify(session), expiresAt: expires, updatedAt: this.clock.now() };
    this.em
      .fork()
      .upsert(AdminSession, row, { onConflictFields: ['id'], onConflictAction: 'merge', onConflictMergeFields: ['data', 'expiresAt', 'updatedAt'] })
      .then(() => this.answer(callback), (error: Error) => this.answer(callback, error));
  }

  get(sessionId: string, callback: Callback<StoredSession | null>): void {
    this.em
      .fork()
      .findOne(AdminSession, { id: keyOf(sessionId), expiresAt: { $gt: this.clock.now() } })
      .then((row) => this.answer(callback, null, row ? (JSON.parse(row.data) as StoredSession) : null), (error: Error) => this.answer(callback, error));
  }

  destroy(sessionId: string, callback: Callback): void {
    this.em
      .fork()
      .nativeDelete(AdminSession, { id: keyOf(sessionId) })
      .then(() => this.answer(callback), (error: Error) => this.answer(callback, error));
  }

  /**
   * Hands the result to the session plugin. Its continuation runs inside our promise: what it
   * throws (e.g. a reply that an AdminJS route already wrote itself, once the write to the
   * database has finished) would be an unhandled rejection that ends the process; it is logged.
   */
  private answer<T>(callback: Callback<T>, error?: Error | null, value?: T): void {
    try {
      callback(error ?? null, value);
    } catch (thrown) {
      this.logger.warn(`the admin session plugin failed after a session store call: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
  }

  /** Deletes the sessions that have expired; returns how many. */
  purgeExpired(): Promise<number> {
    return this.em.fork().nativeDelete(AdminSession, { expiresAt: { $lte: this.clock.now() } });
  }
}

function keyOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}
