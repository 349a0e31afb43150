import { InvalidRequest, ParsedWebhook } from '@paymux/payments';
import { findUnstorableInput } from '../http/input-guard';

/**
 * A callback that fails its signature (or cannot be read) is kept only as a bounded record:
 * anyone can send one, so storing it whole would let forged traffic fill the database.
 */
export const REJECTED_BODY_LIMIT = 2048;

/** The first REJECTED_BODY_LIMIT bytes, marked when cut. */
export function boundedRejectBody(rawBody: Buffer): Buffer {
  if (rawBody.length <= REJECTED_BODY_LIMIT) return rawBody;
  return Buffer.concat([rawBody.subarray(0, REJECTED_BODY_LIMIT), Buffer.from(`… [${rawBody.length - REJECTED_BODY_LIMIT} more bytes not kept]`)]);
}

/** Raw bytes as text a text column takes: NUL (which PostgreSQL refuses) shown as U+FFFD. */
export function storableText(rawBody: Buffer): string {
  return rawBody.toString('utf8').replaceAll('\u0000', '\uFFFD');
}

/** Column sizes of what a verified callback's parsed fields are stored in or looked up by. */
const LIMITS: Array<[string, (parsed: ParsedWebhook) => unknown, number]> = [
  ['dedupe key', (parsed) => parsed.dedupeKey, 255],
  ['event type', (parsed) => parsed.eventType, 64],
  ['provider session id', (parsed) => parsed.providerSessionId, 255],
  ['session id', (parsed) => parsed.paymuxSessionId, 40],
  ['provider customer id', (parsed) => parsed.providerCustomerId, 255],
  ['report provider session id', (parsed) => parsed.report?.providerSessionId, 255],
  ['status', (parsed) => parsed.report?.providerStatus, 64],
  ['report provider customer id', (parsed) => parsed.report?.providerCustomerId, 255],
  ['failure code', (parsed) => parsed.report?.failure?.code, 255],
];

/**
 * A signed callback whose ids or status words no column can hold (too long, NUL, broken
 * Unicode) is malformed: a 400 naming the field, and nothing changes.
 */
export function checkStorableCallback(parsed: ParsedWebhook): void {
  const unstorable = findUnstorableInput(parsed);
  if (unstorable) throw new InvalidRequest(unstorable.param, `callback ${unstorable.message}`);
  for (const [what, read, limit] of LIMITS) {
    const value = read(parsed);
    if (typeof value === 'string' && value.length > limit) {
      throw new InvalidRequest(what.replace(/ /g, '_'), `callback ${what} is longer than ${limit} characters`);
    }
  }
}
