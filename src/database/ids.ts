import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Cryptographic random bytes, drawn from a buffer refilled 4 kB at a time (ulid's own source
 * asks the crypto module for one byte per character). As a fraction in [0, 1) of 256 steps, so
 * ulid's `floor(x * 32)` picks each of its 32 characters with the same chance.
 */
const pool = Buffer.alloc(4096);
let next = pool.length;
function randomFraction(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] / 256;
}

const nextUlid = monotonicFactory(randomFraction);

/**
 * Public ids are a type prefix plus a ULID: unique across instances, and sorting them sorts by
 * creation time, which is what cursor pagination ("newest first") relies on.
 */
export function newId(prefix: 'sess' | 'cus' | 'evt' | 'we' | 're' | 'key' | 'dlv' | 'adm' | 'run'): string {
  return `${prefix}_${nextUlid()}`;
}
