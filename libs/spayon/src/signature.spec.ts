import { createHmac } from 'node:crypto';
import { signCallback, verifyCallbackSignature } from './signature';

describe('Spayon callback signature', () => {
  const secret = 'callback-secret';
  const body = Buffer.from('{"sessionId":"5716f328-5adb-46fe-938f-d72f1d65b98e","status":"paid"}');

  it('is the lowercase hex HMAC-SHA256 of the raw bytes keyed with the callback secret', () => {
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(signCallback(body, secret)).toBe(expected);
    expect(signCallback(body, secret)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies a signature made over the same bytes', () => {
    expect(verifyCallbackSignature(body, signCallback(body, secret), secret)).toBe(true);
  });

  it('rejects a body with one byte changed', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] ^= 0x01;
    expect(verifyCallbackSignature(tampered, signCallback(body, secret), secret)).toBe(false);
  });

  it('rejects the same JSON re-serialised with different spacing', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifyCallbackSignature(reserialised, signCallback(body, secret), secret)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['signed with another secret', signCallback(body, 'other-secret')],
    ['too short', signCallback(body, secret).slice(0, 63)],
    ['too long', signCallback(body, secret) + '00'],
    ['not hex', 'z'.repeat(64)],
  ])('rejects a %s header without throwing', (_label, header) => {
    expect(verifyCallbackSignature(body, header, secret)).toBe(false);
  });
});
