import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/**
 * Public ids are a type prefix plus a ULID: unique across instances, and sorting them sorts by
 * creation time, which is what cursor pagination ("newest first") relies on.
 */
export function newId(prefix: 'sess' | 'cus' | 'evt' | 'we' | 're' | 'key' | 'dlv' | 'adm' | 'run'): string {
  return `${prefix}_${nextUlid()}`;
}
