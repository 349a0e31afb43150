import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './signature';

describe('KOMOJU webhook signatures', () => {
  const body = Buffer.from('{"id":"evt_1","type":"payment.captured","data":{"amount":1000}}');
  const secret = 'whsec_token';

  it('is the hex HMAC-SHA256 of the raw body keyed with the secret token', () => {
    expect(signWebhook(body, secret)).toBe(createHmac('sha256', secret).update(body).digest('hex'));
  });

  it.each([
    ['the right signature', signWebhook(body, secret), true],
    ['the right signature in upper case', signWebhook(body, secret).toUpperCase(), true],
    ['a signature made with another secret', signWebhook(body, 'other'), false],
    ['a signature of another body', signWebhook(Buffer.from(body.toString().replace('1000', '1001')), secret), false],
    ['a truncated signature', signWebhook(body, secret).slice(0, 40), false],
    ['no signature', undefined, false],
    ['garbage', 'not-hex', false],
  ])('accepts only a matching signature: %s', (_, header, ok) => {
    expect(verifyWebhookSignature(body, header, secret)).toBe(ok);
  });
});
