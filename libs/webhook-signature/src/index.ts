import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * paymux's outbound webhook signature, for both sides: paymux signs with `signatureHeader`,
 * merchants check with `verifySignature`. No framework, no I/O.
 *
 * Header: `Paymux-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * Several `v1=` entries may appear (one per secret while a secret is being rotated); any match
 * is enough.
 */
export const SIGNATURE_HEADER = 'Paymux-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type RawBody = string | Buffer | Uint8Array;

export function computeSignature(rawBody: RawBody, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(toBuffer(rawBody)).digest('hex');
}

/** The header value for `rawBody` signed at `timestamp` (unix seconds). */
export function signatureHeader(rawBody: RawBody, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(rawBody, secret, timestamp)}`;
}

/**
 * True when `header` carries a valid signature of exactly these body bytes by `secret`, made
 * within `toleranceSeconds` of now (either side, for clock skew). Pass the body exactly as
 * received, before any JSON parsing: re-serialising changes the bytes.
 */
export function verifySignature(
  rawBody: RawBody,
  header: string | string[] | null | undefined,
  secret: string,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096 || !secret) return false;
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of value.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const item = part.slice(separator + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(item)) timestamp = Number(item);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(item)) candidates.push(item.toLowerCase());
  }
  if (timestamp === null || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(computeSignature(rawBody, secret, timestamp), 'hex');
  return candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
}

function toBuffer(rawBody: RawBody): Buffer {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  return Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
}
