import { generateKeyPairSync } from 'node:crypto';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey, signBody, SmartGlocalKeyError, verifyBody } from './signature';

describe('signature', () => {
  const keys = generateRsaKeyPair();
  const other = generateRsaKeyPair();
  const body = Buffer.from('{"amount_details":{"amount":10000,"currency":"usd"}}');

  it('verifies a base64 RSA-SHA256 signature of the exact bytes with the matching public key', () => {
    const signature = signBody(body, keys.privateKeyPem);
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(verifyBody(body, signature, keys.publicKeyPem)).toBe(true);
  });

  it('rejects a signature over bytes that differ by one', () => {
    const signature = signBody(body, keys.privateKeyPem);
    const altered = Buffer.from(body);
    altered[altered.length - 3] ^= 1;
    expect(verifyBody(altered, signature, keys.publicKeyPem)).toBe(false);
  });

  it('rejects a signature made with another key', () => {
    expect(verifyBody(body, signBody(body, other.privateKeyPem), keys.publicKeyPem)).toBe(false);
  });

  it.each([[undefined], [null], [''], ['not base64 !!'], ['AAAA'], ['x'.repeat(5000)]])('answers false, never throws, for the signature %p', (signature) => {
    expect(verifyBody(body, signature as string, keys.publicKeyPem)).toBe(false);
  });

  it.each([
    ['an empty string', '', /is empty/],
    ['text without a BEGIN line', 'not a key', /no "-----BEGIN" line/],
    ['a truncated PEM', keys.privateKeyPem.slice(0, 120) + '\n-----END PRIVATE KEY-----', /is not a valid PEM-encoded private key/],
  ])('fails clearly on %s as a private key', (_label, pem, message) => {
    expect(() => loadPrivateKey(pem, 'SMART_GLOCAL_PRIVATE_KEY')).toThrow(SmartGlocalKeyError);
    expect(() => loadPrivateKey(pem, 'SMART_GLOCAL_PRIVATE_KEY')).toThrow(message);
    expect(() => loadPrivateKey(pem, 'SMART_GLOCAL_PRIVATE_KEY')).toThrow(/^SMART_GLOCAL_PRIVATE_KEY /);
  });

  it('refuses a key that is not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    expect(() => loadPublicKey(ec.publicKey, 'SMART_GLOCAL_PUBLIC_KEY')).toThrow('SMART_GLOCAL_PUBLIC_KEY must be an RSA key');
  });

  it('accepts a PEM whose newlines arrive as literal \\n (from an env var)', () => {
    const escaped = keys.publicKeyPem.replace(/\n/g, '\\n');
    expect(verifyBody(body, signBody(body, keys.privateKeyPem), loadPublicKey(escaped))).toBe(true);
  });
});
