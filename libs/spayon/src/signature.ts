import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Signature` = lowercase hex HMAC-SHA256 keyed with the callback secret over the raw request
 * bytes (Callbacks, Signature): never over re-serialised JSON, which may order or space keys
 * differently.
 */
export const SPAYON_SIGNATURE_HEADER = 'x-signature';

export function signCallback(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time check; a missing, malformed or wrong-length header is simply false. */
export function verifyCallbackSignature(rawBody: Buffer | string, header: string | undefined | null, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const candidate = header.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(candidate)) return false;
  const expected = Buffer.from(signCallback(rawBody, secret), 'hex');
  const given = Buffer.from(candidate, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
