import { ConfigError, loadConfig } from '../config/config';
import { isRetryable } from './retryable';
import { parseRoutingRules, ruleMatches, ruleOrder, splitBucket } from './routing-rules';
import { providerFailure } from '@paymux/payments';

const KNOWN = ['spayon', 'smart_glocal', 'komoju'];
const subject = { mode: 'payment', amount: 5000, currency: 'USD', locale: null, paymentMethods: null, defaultPaymentMethod: null };

function problemOf(raw: string): string {
  try {
    loadConfig({ ROUTING_RULES: raw }, '/srv/paymux');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('ROUTING_RULES', () => {
  it('is empty when unset, and reads each rule with its conditions', () => {
    expect(parseRoutingRules(null, KNOWN)).toEqual([]);
    const [rule] = parseRoutingRules(JSON.stringify([{ name: 'big', match: { currency: ['amd', 'USD'], amount_min: 100, amount_max: 900, payment_method: 'card', locale: ['en', 'ru'], mode: 'payment' }, providers: ['smart_glocal', 'spayon'] }]), KNOWN);
    expect(rule).toEqual({
      name: 'big',
      match: { currencies: ['AMD', 'USD'], amountMin: 100, amountMax: 900, paymentMethods: ['card'], locales: ['en', 'ru'], modes: ['payment'] },
      providers: ['smart_glocal', 'spayon'],
      split: null,
    });
  });

  it.each([
    ['not JSON', '{', 'ROUTING_RULES must be a JSON array of rules'],
    ['not an array', '{"name":"x"}', 'ROUTING_RULES must be a JSON array of rules'],
    ['an unknown key', '[{"name":"x","providers":["spayon"],"weight":1}]', 'ROUTING_RULES rule 1: has unknown key "weight"'],
    ['no name', '[{"providers":["spayon"]}]', 'ROUTING_RULES rule 1: needs a "name"'],
    ['a reserved name', '[{"name":"pinned","providers":["spayon"]}]', 'ROUTING_RULES rule 1: may not be named "pinned"'],
    ['two rules of one name', '[{"name":"x","providers":["spayon"]},{"name":"x","providers":["komoju"]}]', 'ROUTING_RULES names rule "x" twice'],
    ['an unknown provider', '[{"name":"x","providers":["stripe"]}]', 'ROUTING_RULES rule 1 ("x"): names unknown provider "stripe"'],
    ['both providers and split', '[{"name":"x","providers":["spayon"],"split":{"spayon":100}}]', 'needs exactly one of "providers"'],
    ['neither', '[{"name":"x"}]', 'needs exactly one of "providers"'],
    ['a split not adding up to 100', '[{"name":"x","split":{"spayon":60,"smart_glocal":30}}]', '"split" percents must add up to 100, got 90'],
    ['a fractional percent', '[{"name":"x","split":{"spayon":50.5,"smart_glocal":49.5}}]', '"split" percent for spayon must be an integer 0-100'],
    ['an unknown match key', '[{"name":"x","match":{"country":"AM"},"providers":["spayon"]}]', '"match" has unknown key "country"'],
    ['a float amount', '[{"name":"x","match":{"amount_min":10.5},"providers":["spayon"]}]', '"match.amount_min" must be a non-negative integer (minor units)'],
    ['min above max', '[{"name":"x","match":{"amount_min":10,"amount_max":5},"providers":["spayon"]}]', '"match.amount_min" is above "match.amount_max"'],
    ['a bad currency', '[{"name":"x","match":{"currency":"dollars"},"providers":["spayon"]}]', '"match.currency" must be a string or a non-empty list'],
    ['an unknown mode', '[{"name":"x","match":{"mode":"subscription"},"providers":["spayon"]}]', '"match.mode" must be one of payment, customer, customer_payment'],
  ])('stops the boot with one line naming the variable: %s', (_, raw, message) => {
    const problem = problemOf(raw);
    expect(problem).toContain(message);
    expect(problem.startsWith('ROUTING_RULES ')).toBe(true);
    expect(problem).not.toContain('\n');
  });

  it('matches when every given condition holds (amounts inclusive, payment method from the list or the default)', () => {
    const [rule] = parseRoutingRules('[{"name":"r","match":{"currency":"USD","amount_min":1000,"amount_max":5000,"payment_method":"card","locale":"en"},"providers":["spayon"]}]', KNOWN);
    const fits = { ...subject, locale: 'en', paymentMethods: ['card'] };
    expect(ruleMatches(rule.match, fits)).toBe(true);
    expect(ruleMatches(rule.match, { ...fits, amount: 1000 })).toBe(true);
    expect(ruleMatches(rule.match, { ...fits, amount: 5001 })).toBe(false);
    expect(ruleMatches(rule.match, { ...fits, amount: 999 })).toBe(false);
    expect(ruleMatches(rule.match, { ...fits, amount: null, currency: null })).toBe(false);
    expect(ruleMatches(rule.match, { ...fits, currency: 'EUR' })).toBe(false);
    expect(ruleMatches(rule.match, { ...fits, locale: null })).toBe(false);
    expect(ruleMatches(rule.match, { ...fits, paymentMethods: null })).toBe(false);
    expect(ruleMatches(rule.match, { ...fits, paymentMethods: null, defaultPaymentMethod: 'card' })).toBe(true);
    const [any] = parseRoutingRules('[{"name":"any","providers":["spayon"]}]', KNOWN);
    expect(ruleMatches(any.match, { ...subject, mode: 'customer', amount: null, currency: null })).toBe(true);
  });

  it('splits by a stable bucket of the session id; the other providers of the split follow as fallbacks', () => {
    const [rule] = parseRoutingRules('[{"name":"ab","split":{"spayon":30,"smart_glocal":70}}]', KNOWN);
    const ids = Array.from({ length: 400 }, (_, i) => `sess_${i}`);
    for (const id of ids) {
      expect(ruleOrder(rule, id)).toEqual(splitBucket(id) < 30 ? ['spayon', 'smart_glocal'] : ['smart_glocal', 'spayon']);
      expect(ruleOrder(rule, id)).toEqual(ruleOrder(rule, id));
    }
    const first = ids.filter((id) => ruleOrder(rule, id)[0] === 'spayon').length;
    expect(first).toBeGreaterThan(80);
    expect(first).toBeLessThan(160);
    const [never] = parseRoutingRules('[{"name":"off","split":{"spayon":0,"smart_glocal":100}}]', KNOWN);
    expect(ids.every((id) => ruleOrder(never, id)[0] === 'smart_glocal')).toBe(true);
  });
});

describe('which provider failures fail over', () => {
  it.each([
    ['no answer in time', providerFailure('spayon', 'Spayon', { kind: 'timeout', afterMs: 100 }), true],
    ['unreachable', providerFailure('spayon', 'Spayon', { kind: 'unreachable', reason: 'ECONNREFUSED' }), true],
    ['a 500', providerFailure('spayon', 'Spayon', { kind: 'answered', httpStatus: 500, code: null, message: 'x' }), true],
    ['a 503 with its own code', providerFailure('komoju', 'KOMOJU', { kind: 'answered', httpStatus: 503, code: 'service_unavailable', message: 'x' }), true],
    ['a 429', providerFailure('spayon', 'Spayon', { kind: 'answered', httpStatus: 429, code: null, message: 'x' }), true],
    ['not processed (KOMOJU gateway_timeout)', providerFailure('komoju', 'KOMOJU', { kind: 'not_processed', code: 'gateway_timeout', message: 'x' }), true],
    ['a 400', providerFailure('spayon', 'Spayon', { kind: 'answered', httpStatus: 400, code: null, message: 'x' }), false],
    ['a 401', providerFailure('komoju', 'KOMOJU', { kind: 'answered', httpStatus: 401, code: 'unauthorized', message: 'x' }), false],
    ['an unreadable answer', providerFailure('spayon', 'Spayon', { kind: 'invalid_response', message: 'x' }), false],
    ['a bug', new Error('a bug'), false],
  ])('%s → %s', (_, error, retryable) => {
    expect(isRetryable(error)).toBe(retryable);
  });
});
