import type { KeyObject } from 'node:crypto';
import { SmartGlocalMalformedNotification, SmartGlocalSignatureError } from './errors';
import { verifyBody } from './signature';
import type { Notification } from './types';

/**
 * Verifies a notification on its raw bytes with **Smart Glocal's** public key and parses it
 * (providers/smart-glocal.md, "Notifications"). Throws `SmartGlocalSignatureError` for a bad or
 * missing signature, `SmartGlocalMalformedNotification` for a body that is not a notification.
 */
export function verifyNotification(rawBody: Buffer, signature: string | undefined, smartGlocalPublicKey: string | KeyObject): Notification {
  if (!verifyBody(rawBody, signature, smartGlocalPublicKey)) throw new SmartGlocalSignatureError();
  return parseNotification(rawBody);
}

/** Parses a notification body already verified. */
export function parseNotification(rawBody: Buffer): Notification {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new SmartGlocalMalformedNotification('notification body is not JSON');
  }
  if (!isObject(body)) throw new SmartGlocalMalformedNotification('notification body is not an object');
  if (typeof body.type !== 'string' || body.type === '') throw new SmartGlocalMalformedNotification('notification has no type');
  const session = body.session;
  if (!isObject(session) || typeof session.id !== 'string' || typeof session.status !== 'string') {
    throw new SmartGlocalMalformedNotification('notification has no session with an id and a status');
  }
  const payments = session.acquiring_payments ?? [];
  if (!Array.isArray(payments) || !payments.every((p) => isObject(p) && typeof p.id === 'string' && typeof p.status === 'string')) {
    throw new SmartGlocalMalformedNotification('notification session has malformed acquiring_payments');
  }
  return { type: body.type, session: { ...session, acquiring_payments: payments } } as unknown as Notification;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
