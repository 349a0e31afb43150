import type { SessionStatus } from '@paymux/payments';
import { buyerDestination, isSessionId, returnRelayUrl, withPaymuxSessionId } from './buyer-return';

const ID = 'sess_01JD0000000000000000000000';

describe('buyerDestination', () => {
  const urls = { returnUrl: 'https://shop.example/thanks?order=7', cancelUrl: 'https://shop.example/cart' };
  it.each<[SessionStatus, string]>([
    ['succeeded', 'https://shop.example/thanks?order=7'],
    ['processing', 'https://shop.example/thanks?order=7'],
    ['requires_capture', 'https://shop.example/thanks?order=7'],
    ['open', 'https://shop.example/cart'],
    ['failed', 'https://shop.example/cart'],
    ['expired', 'https://shop.example/cart'],
    ['cancelled', 'https://shop.example/cart'],
  ])('a %s session goes to %s', (status, base) => {
    expect(buyerDestination({ status, ...urls }, ID)).toBe(withPaymuxSessionId(base, ID));
  });

  it.each<SessionStatus>(['open', 'failed', 'expired', 'cancelled'])('without a cancel_url, a %s session goes to return_url', (status) => {
    expect(buyerDestination({ status, returnUrl: urls.returnUrl, cancelUrl: null }, ID)).toBe(`https://shop.example/thanks?order=7&paymux_session_id=${ID}`);
  });
});

describe('withPaymuxSessionId', () => {
  it.each([
    ['https://shop.example/thanks', `https://shop.example/thanks?paymux_session_id=${ID}`],
    ['https://shop.example/thanks?a=1&b=x%20y', `https://shop.example/thanks?a=1&b=x+y&paymux_session_id=${ID}`],
    ['https://shop.example/thanks?paymux_session_id=other', `https://shop.example/thanks?paymux_session_id=${ID}`],
    ['https://shop.example/app#/done', `https://shop.example/app?paymux_session_id=${ID}#/done`],
  ])('%s → %s', (url, expected) => {
    expect(withPaymuxSessionId(url, ID)).toBe(expected);
  });
});

describe('returnRelayUrl and isSessionId', () => {
  it('builds the relay under PUBLIC_URL', () => {
    expect(returnRelayUrl('https://pay.example.com/', ID)).toBe(`https://pay.example.com/v1/return/${ID}`);
  });

  it.each([[ID, true], ['sess_01jd0000000000000000000000', false], ['sess_../../x', false], ['cus_01JD0000000000000000000000', false], ['', false]])('%s is a session id: %s', (id, expected) => {
    expect(isSessionId(id)).toBe(expected);
  });
});
