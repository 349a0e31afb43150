import { createHash } from 'node:crypto';
import type { SimResponse } from '@paymux/simulator-kit';
import { KOMOJU_IDEMPOTENCY_KEY_MAX_LENGTH, KOMOJU_IDEMPOTENCY_TTL_MS } from '../types';

interface Entry {
  bodyHash: string;
  firstUsedAt: number;
  /** null while the first request is still running. */
  answer: SimResponse | null;
}

export type IdempotencyVerdict =
  | { kind: 'run'; finish: (answer: SimResponse) => void; abandon: () => void }
  | { kind: 'replay'; answer: SimResponse }
  | { kind: 'in_flight' }
  | { kind: 'other_body' }
  | { kind: 'bad_key' };

/**
 * `X-KOMOJU-IDEMPOTENCY` as Idempotency documents it: at most 100 ASCII characters; the same key
 * and body answer the first answer without re-running; a retry before the first answered gets 409;
 * a key is kept 24 hours, then may be used again. NOT IN PUBLIC DOCS: the answer to the same key
 * with another body. Choice: 422 `unprocessable_entity`.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  claim(key: string, rawBody: Buffer): IdempotencyVerdict {
    if (key.length === 0 || key.length > KOMOJU_IDEMPOTENCY_KEY_MAX_LENGTH || !/^[\x20-\x7e]+$/.test(key)) return { kind: 'bad_key' };
    const bodyHash = createHash('sha256').update(rawBody).digest('hex');
    const now = this.now();
    const existing = this.entries.get(key);
    if (existing && now - existing.firstUsedAt < KOMOJU_IDEMPOTENCY_TTL_MS) {
      if (existing.bodyHash !== bodyHash) return { kind: 'other_body' };
      return existing.answer ? { kind: 'replay', answer: existing.answer } : { kind: 'in_flight' };
    }
    const entry: Entry = { bodyHash, firstUsedAt: now, answer: null };
    this.entries.set(key, entry);
    return {
      kind: 'run',
      finish: (answer) => (entry.answer = structuredClone(answer)),
      abandon: () => this.entries.delete(key),
    };
  }
}
