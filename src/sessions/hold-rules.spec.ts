import type { ProviderStatusReport, SessionStatus } from '@paymux/payments';
import { isCapturedPart, statusForHold } from './hold-rules';
import { Session } from './session.entity';

const session = (fields: Partial<Session>) => Object.assign(new Session(), { amount: 1000, currency: 'JPY', ...fields });
const hold = { captureBefore: new Date('2026-12-10T00:00:00Z') };
const report = (status: SessionStatus, fields: Partial<ProviderStatusReport> = {}): ProviderStatusReport => ({ providerSessionId: 'p', status, providerStatus: status, ...fields });

describe('statusForHold', () => {
  it.each([
    ['a hold on a manual open session', session({ captureMethod: 'manual', status: 'open' }), report('processing', { hold }), 'requires_capture'],
    ['a hold on a manual session confirmed before', session({ captureMethod: 'manual', status: 'processing' }), report('processing', { hold }), 'requires_capture'],
    ['a hold on an automatic session (the adapter captures)', session({ status: 'open' }), report('processing', { hold }), 'processing'],
    ['a konbini reservation on a manual session (no hold)', session({ captureMethod: 'manual', status: 'open' }), report('processing'), 'processing'],
    ['a capture being settled while on hold', session({ captureMethod: 'manual', status: 'requires_capture' }), report('processing'), null],
    ['the hold reported again', session({ captureMethod: 'manual', status: 'requires_capture' }), report('processing', { hold }), null],
    ['the capture done', session({ captureMethod: 'manual', status: 'requires_capture' }), report('succeeded'), 'succeeded'],
    ['the hold released', session({ captureMethod: 'manual', status: 'requires_capture' }), report('expired'), 'expired'],
  ])('%s', (_label, current, incoming, expected) => {
    expect(statusForHold(current, incoming)).toBe(expected);
  });
});

describe('isCapturedPart', () => {
  const manual = session({ captureMethod: 'manual', status: 'requires_capture', authorizedAt: new Date('2026-12-03T00:00:00Z') });
  const neverHeld = session({ captureMethod: 'manual', status: 'processing' });
  it.each([
    ['part of the amount captured', manual, report('succeeded', { amount: { amount: 600, currency: 'JPY' } }), true],
    ['part captured, the callback ahead of the hold\'s', neverHeld, report('succeeded', { amount: { amount: 600, currency: 'JPY' }, capturedFromHold: true }), true],
    ['a konbini payment of less on a manual session (never held)', neverHeld, report('succeeded', { amount: { amount: 600, currency: 'JPY' }, capturedFromHold: false }), false],
    ['all of it, the currency in lower case', manual, report('succeeded', { amount: { amount: 1000, currency: 'jpy' } }), true],
    ['more than authorized', manual, report('succeeded', { amount: { amount: 1001, currency: 'JPY' } }), false],
    ['another currency', manual, report('succeeded', { amount: { amount: 600, currency: 'USD' } }), false],
    ['nothing captured', manual, report('succeeded', { amount: { amount: 0, currency: 'JPY' } }), false],
    ['not a capture', manual, report('processing', { amount: { amount: 600, currency: 'JPY' } }), false],
    ['an automatic session', session({ status: 'processing' }), report('succeeded', { amount: { amount: 600, currency: 'JPY' } }), false],
  ])('%s', (_label, current, incoming, expected) => {
    expect(isCapturedPart(current, incoming)).toBe(expected);
  });

  it('takes less than the whole amount only from a provider that captures in part', () => {
    const part = report('succeeded', { amount: { amount: 600, currency: 'JPY' } });
    const whole = report('succeeded', { amount: { amount: 1000, currency: 'JPY' } });
    expect([isCapturedPart(manual, part, false), isCapturedPart(manual, whole, false)]).toEqual([false, true]);
  });
});
