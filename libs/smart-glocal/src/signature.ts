import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';

/**
 * Request and notification signatures (providers/smart-glocal.md, "Authentication"): RSA over the
 * body exactly as sent. SHA-256 with PKCS#1 v1.5 padding and base64 in the header are NOT IN PUBLIC
 * DOCS: chosen as the vendor SDK of the same API (Bank 131's) does it; they live only here.
 */
const DIGEST = 'sha256';

export class SmartGlocalKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmartGlocalKeyError';
  }
}

export interface RsaKeyPairPem {
  publicKeyPem: string;
  privateKeyPem: string;
}

/**
 * Parses a private key PEM once, failing with a message that names the setting and never echoes
 * the key. `what` names the key for that message, e.g. `SMART_GLOCAL_PRIVATE_KEY`.
 */
export function loadPrivateKey(pem: string | KeyObject, what = 'Smart Glocal private key'): KeyObject {
  if (pem instanceof KeyObject) return pem;
  let key: KeyObject;
  try {
    key = createPrivateKey(normalisePem(pem, what));
  } catch (error) {
    if (error instanceof SmartGlocalKeyError) throw error;
    throw new SmartGlocalKeyError(`${what} is not a valid PEM-encoded private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new SmartGlocalKeyError(`${what} must be an RSA key, got ${key.asymmetricKeyType}`);
  return key;
}

/** Parses a public key PEM (an RSA public key or certificate), failing clearly. */
export function loadPublicKey(pem: string | KeyObject, what = 'Smart Glocal public key'): KeyObject {
  if (pem instanceof KeyObject) return pem;
  let key: KeyObject;
  try {
    key = createPublicKey(normalisePem(pem, what));
  } catch (error) {
    if (error instanceof SmartGlocalKeyError) throw error;
    throw new SmartGlocalKeyError(`${what} is not a valid PEM-encoded public key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new SmartGlocalKeyError(`${what} must be an RSA key, got ${key.asymmetricKeyType}`);
  return key;
}

/** Base64 RSA-SHA256 (PKCS#1 v1.5) signature of exactly these bytes. */
export function signBody(body: Buffer, privateKey: string | KeyObject): string {
  return sign(DIGEST, body, loadPrivateKey(privateKey)).toString('base64');
}

/**
 * True only when `signatureB64` is a valid signature of exactly these bytes. Never throws: a
 * missing, garbled or wrong-length signature is simply false.
 */
export function verifyBody(body: Buffer, signatureB64: string | undefined | null, publicKey: string | KeyObject): boolean {
  if (typeof signatureB64 !== 'string' || signatureB64.length === 0) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64.trim())) return false;
  try {
    return verify(DIGEST, body, loadPublicKey(publicKey), Buffer.from(signatureB64.trim(), 'base64'));
  } catch {
    return false;
  }
}

/** A fresh 2048-bit RSA key pair in PEM (simulator start-up, tests). */
export function generateRsaKeyPair(): RsaKeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Keys often arrive from env vars with literal `\n`; accept that, reject what is clearly not PEM. */
function normalisePem(pem: string, what: string): string {
  if (typeof pem !== 'string' || pem.trim() === '') throw new SmartGlocalKeyError(`${what} is empty`);
  const text = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
  if (!text.includes('-----BEGIN ')) throw new SmartGlocalKeyError(`${what} is not PEM: it has no "-----BEGIN" line`);
  return text.trim() + '\n';
}
