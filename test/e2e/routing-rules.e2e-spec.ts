import { splitBucket } from '../../src/routing/routing-rules';
import { startTestApp, TestApp } from '../support/app';
import { smartGlocal } from '../support/smart-glocal';
import { spayonSimulatorOf } from '../support/spayon';

/** The rules of README's example, evaluated in order; PROVIDERS_ORDER (spayon, smart_glocal, komoju) decides otherwise. */
const RULES = [
  { name: 'large-amd', match: { currency: 'AMD', amount_min: 1_000_000 }, providers: ['smart_glocal', 'spayon'] },
  { name: 'card-only', match: { payment_method: 'card' }, providers: ['smart_glocal'] },
  { name: 'small-russian', match: { locale: 'ru', amount_max: 9999 }, providers: ['smart_glocal'] },
  { name: 'gbp-komoju', match: { currency: 'GBP' }, providers: ['komoju'] },
  { name: 'usd-ab', match: { currency: 'USD', mode: 'payment' }, split: { spayon: 50, smart_glocal: 50 } },
];

let seq = 0;
const body = (overrides: Record<string, unknown>) => ({
  amount: 150000,
  currency: 'AMD',
  order_id: `rules-${++seq}`,
  return_url: 'https://shop.example/thanks',
  customer: { reference: 'buyer-9', email: 'buyer@example.com' },
  ...overrides,
});

describe('routing rules (ROUTING_RULES)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ROUTING_RULES: JSON.stringify(RULES) });
  });
  afterAll(() => app.close());
  afterEach(() => spayonSimulatorOf(app).simulator.faults.reset());

  const routed = async (overrides: Record<string, unknown>) => {
    const res = await app.api().post('/v1/sessions', body(overrides)).expect(201);
    return { provider: res.body.provider, chosen_by: res.body.routing.chosen_by, rule: res.body.routing.rule, id: res.body.id, routing: res.body.routing };
  };

  it.each([
    ['an amount at the bound of large-amd', { amount: 1_000_000 }, 'smart_glocal', 'rule', 'large-amd'],
    ['an amount under it: no rule, PROVIDERS_ORDER', { amount: 999_999 }, 'spayon', 'providers_order', null],
    ['payment_methods naming card', { payment_methods: ['card'] }, 'smart_glocal', 'rule', 'card-only'],
    ['a small Russian-language session', { currency: 'USD', amount: 5000, locale: 'ru' }, 'smart_glocal', 'rule', 'small-russian'],
    ['a matching rule whose provider cannot serve the currency is passed over', { currency: 'GBP', amount: 5000 }, 'spayon', 'providers_order', null],
    ['a pinned provider ignores every rule', { amount: 2_000_000, provider: 'spayon' }, 'spayon', 'pinned', null],
  ])('%s', async (_, overrides, provider, chosenBy, rule) => {
    expect(await routed(overrides)).toMatchObject({ provider, chosen_by: chosenBy, rule });
  });

  it('splits USD sessions by a stable bucket of their id, and says so on each session', async () => {
    const sessions = [];
    for (let i = 0; i < 24; i++) sessions.push(await routed({ currency: 'USD', amount: 20000 }));
    for (const session of sessions) {
      expect(session).toMatchObject({ chosen_by: 'rule', rule: 'usd-ab', provider: splitBucket(session.id) < 50 ? 'spayon' : 'smart_glocal' });
      const stored = (await app.api().get(`/v1/sessions/${session.id}`).expect(200)).body;
      expect(stored.routing).toEqual(session.routing);
    }
    expect(new Set(sessions.map((s) => s.provider)).size).toBe(2);
  });

  it('a rule fails over within its own providers: large-amd goes to Spayon when Smart Glocal is down', async () => {
    smartGlocal(app).simulator.faults.set({ errorRate: 1 });
    try {
      const session = await routed({ amount: 3_000_000 });
      expect(session).toMatchObject({ provider: 'spayon', chosen_by: 'rule', rule: 'large-amd' });
      expect(session.routing.attempts.map((a: { provider: string; outcome: string }) => `${a.provider}:${a.outcome}`)).toEqual(['smart_glocal:failed', 'spayon:created']);
    } finally {
      smartGlocal(app).simulator.faults.reset();
    }
  });

  it('a rule with one provider does not fail over outside it: card-only answers 502 when Smart Glocal is down', async () => {
    smartGlocal(app).simulator.faults.set({ errorRate: 1 });
    try {
      const res = await app.api().post('/v1/sessions', body({ payment_methods: ['card'] })).expect(502);
      expect(res.body.error).toMatchObject({ type: 'provider_error' });
    } finally {
      smartGlocal(app).simulator.faults.reset();
    }
  });
});
