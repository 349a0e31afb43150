import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * KOMOJU signs each webhook delivery with the hex HMAC-SHA256 of the raw request body, keyed
 * with the webhook's secret token, in `X-Komoju-Signature` (Webhooks). The raw bytes matter:
 * re-serialised JSON would not verify.
 */
export function signWebhook(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time check of a `X-Komoju-Signature` header against the raw body. */
export function verifyWebhookSignature(rawBody: Buffer | string, header: string | undefined, secret: string): boolean {
  if (!header || !/^[0-9a-fA-F]{64}$/.test(header.trim())) return false;
  const expected = Buffer.from(signWebhook(rawBody, secret), 'hex');
  const given = Buffer.from(header.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
