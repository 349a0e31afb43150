import { LoginThrottle } from './login-throttle';

describe('login throttle', () => {
  it('blocks an e-mail and address after 5 failures within 15 minutes, and lets it go when they age out', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.isBlocked('A@example.com', '10.0.0.1')).toBe(false);
      throttle.recordFailure('a@example.com', '10.0.0.1');
      now += 1000;
    }
    expect(throttle.isBlocked('a@example.com ', '10.0.0.1')).toBe(true);
    expect(throttle.isBlocked('a@example.com', '10.0.0.2')).toBe(false);
    expect(throttle.isBlocked('b@example.com', '10.0.0.1')).toBe(false);
    now = 15 * 60 * 1000 + 1;
    expect(throttle.isBlocked('a@example.com', '10.0.0.1')).toBe(false);
  });

  it('forgets the failures of a pair after a successful sign-in', () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 4; i++) throttle.recordFailure('a@example.com', 'ip');
    throttle.recordSuccess('a@example.com', 'ip');
    throttle.recordFailure('a@example.com', 'ip');
    expect(throttle.isBlocked('a@example.com', 'ip')).toBe(false);
  });
});
