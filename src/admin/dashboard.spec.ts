import { parseRoutingRules } from '../routing/routing-rules';
import { describeRule, jobHealth, summarizeSessions } from './dashboard';

describe('dashboard', () => {
  it('counts sessions per provider and status, and the conversion rate over finished sessions', () => {
    const summary = summarizeSessions(
      [
        { provider: 'spayon', status: 'succeeded', count: 3 },
        { provider: 'spayon', status: 'open', count: 2 },
        { provider: 'komoju', status: 'expired', count: 1 },
        { provider: 'komoju', status: 'succeeded', count: 1 },
      ],
      new Date(0),
    );
    expect(summary).toMatchObject({ total: 7, terminal: 5, succeeded: 4, conversionRate: 0.8 });
    expect(summary.byProvider).toEqual([
      { provider: 'komoju', counts: { expired: 1, succeeded: 1 } },
      { provider: 'spayon', counts: { succeeded: 3, open: 2 } },
    ]);
  });

  it('has no conversion rate while no session has finished', () => {
    expect(summarizeSessions([{ provider: 'spayon', status: 'open', count: 2 }], new Date(0)).conversionRate).toBeNull();
  });

  it.each([
    [{ lastRunAt: new Date(100_000) }, { status: 'failed' as const }, 60, 'failing'],
    [{ lastRunAt: new Date(100_000) }, { status: 'succeeded' as const }, 60, 'ok'],
    [{ lastRunAt: new Date(0) }, { status: 'succeeded' as const }, 30, 'late'],
    [{ lastRunAt: null }, null, 30, 'unknown'],
  ])('judges a job %p / %p every %ss as %s', (state, run, interval, health) => {
    expect(jobHealth(state, run, interval, new Date(120_000))).toBe(health);
  });

  it('describes each routing rule in one line per column', () => {
    const rules = parseRoutingRules(JSON.stringify([
      { name: 'all', match: { currency: ['amd', 'USD'], amount_min: 100, amount_max: 900, payment_method: 'card', locale: 'ru', mode: 'payment' }, providers: ['smart_glocal', 'spayon'] },
      { name: 'ab', split: { spayon: 70, smart_glocal: 30 } },
    ]), ['spayon', 'smart_glocal']);
    expect(rules.map(describeRule)).toEqual([
      { name: 'all', match: 'currency AMD or USD, amount ≥ 100, amount ≤ 900, payment method card, locale ru, mode payment', providers: 'smart_glocal → spayon' },
      { name: 'ab', match: 'every session', providers: 'spayon 70 %, smart_glocal 30 %' },
    ]);
  });
});
