import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from './index';

describe('webhook signature', () => {
  const secret = 'whsec_test_secret';
  const body = '{"id":"evt_1","object":"event","type":"session.succeeded"}';
  const t = 1_800_000_000;
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

  it('signs as t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>', () => {
    expect(signatureHeader(body, secret, t)).toBe(`t=${t},v1=${v1}`);
  });

  it.each([
    ['a valid header', `t=${t},v1=${v1}`, body, secret, t, true],
    ['a Buffer body', `t=${t},v1=${v1}`, Buffer.from(body), secret, t, true],
    ['spaces and a second, rotated v1', `t=${t}, v1=${'0'.repeat(64)}, v1=${v1}`, body, secret, t, true],
    ['exactly 300 s old', `t=${t},v1=${v1}`, body, secret, t + 300, true],
    ['301 s old', `t=${t},v1=${v1}`, body, secret, t + 301, false],
    ['301 s in the future', `t=${t},v1=${v1}`, body, secret, t - 301, false],
    ['another secret', `t=${t},v1=${v1}`, body, 'whsec_other', t, false],
    ['a changed body', `t=${t},v1=${v1}`, `${body} `, secret, t, false],
    ['a changed timestamp', `t=${t + 1},v1=${v1}`, body, secret, t, false],
    ['no timestamp', `v1=${v1}`, body, secret, t, false],
    ['no v1', `t=${t}`, body, secret, t, false],
    ['a v0 scheme only', `t=${t},v0=${v1}`, body, secret, t, false],
    ['a truncated v1', `t=${t},v1=${v1.slice(0, 63)}`, body, secret, t, false],
    ['garbage', 'nonsense', body, secret, t, false],
    ['an empty header', '', body, secret, t, false],
    ['an empty secret', `t=${t},v1=${v1}`, body, '', t, false],
  ])('%s', (_, header, raw, key, now, valid) => {
    expect(verifySignature(raw, header, key, 300, now)).toBe(valid);
  });

  it('treats a missing header as invalid and honours a custom tolerance', () => {
    expect(verifySignature(body, undefined, secret, 300, t)).toBe(false);
    expect(verifySignature(body, `t=${t},v1=${v1}`, secret, 10, t + 11)).toBe(false);
    expect(verifySignature(body, [`t=${t},v1=${v1}`], secret, 10, t + 10)).toBe(true);
  });
});
