import type { BrowserContext } from 'playwright-core';
import { AdminClient, launchChromium } from '../support/admin-client';
import { BuiltServer, startBuiltServer } from '../support/built-server';

const API_KEY = 'pmx_routing_dashboard_key_0123456789abcdef';
const ADMIN = { email: 'owner@example.com', password: 'owner-password-123' };
const RULES = [
  { name: 'large-amd', match: { currency: 'AMD', amount_min: 1000000 }, providers: ['smart_glocal', 'spayon'] },
  { name: 'usd-ab', match: { currency: 'USD', mode: 'payment' }, split: { spayon: 70, smart_glocal: 30 } },
];

jest.setTimeout(180_000);

describe('the admin dashboard shows the providers\' breakers and the routing rules', () => {
  let server: BuiltServer;
  let browser: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    server = await startBuiltServer({
      ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, BOOTSTRAP_API_KEY: API_KEY,
      ROUTING_RULES: JSON.stringify(RULES), BREAKER_FAILURE_THRESHOLD: '1',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const post = (path: string, body: object, auth = true) => fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${API_KEY}` } : {}) },
    body: JSON.stringify(body),
  });

  it('Spayon failing once opens its breaker, and the dashboard says so beside the rules in order', async () => {
    // The simulator's fault knob over HTTP, as an operator trying it out would set it.
    expect((await post('/simulators/spayon/__faults', { errorRate: 1 }, false)).status).toBeLessThan(300);
    const session = await post('/v1/sessions', { amount: 150000, currency: 'AMD', return_url: 'https://shop.example/thanks', customer: { reference: 'b-1' } });
    expect(session.status).toBe(201);
    expect(((await session.json()) as { provider: string }).provider).toBe('smart_glocal');

    const admin = await AdminClient.signIn(server.url, ADMIN.email, ADMIN.password);
    const dashboard = (await (await admin.get('/admin/api/dashboard')).json()) as { routing: { breakers: { provider: string; state: string }[]; rules: unknown[]; providersOrder: string[] } };
    expect(dashboard.routing.breakers.find((b) => b.provider === 'spayon')).toMatchObject({ state: 'open', consecutiveFailures: 1, lastFailureCode: 'provider_server_error', retryAt: expect.any(String) });
    expect(dashboard.routing.breakers.find((b) => b.provider === 'smart_glocal')).toMatchObject({ state: 'closed' });
    expect(dashboard.routing.rules).toEqual([
      { name: 'large-amd', match: 'currency AMD, amount ≥ 1000000', providers: 'smart_glocal → spayon' },
      { name: 'usd-ab', match: 'currency USD, mode payment', providers: 'spayon 70 %, smart_glocal 30 %' },
    ]);

    const page = await browser.context.newPage();
    const [name, value] = admin.cookie.split('=');
    await browser.context.addCookies([{ name, value, url: server.url }]);
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('routing').waitFor();
    const text = await page.getByTestId('routing').innerText();
    expect(text).toContain('Providers and routing');
    expect(await page.getByTestId('breaker-spayon').innerText()).toMatch(/spayon\s+open\s+1\s+provider_server_error/);
    expect(text).toMatch(/large-amd\s+currency AMD, amount ≥ 1000000\s+smart_glocal → spayon/);
    expect(text).toMatch(/PROVIDERS_ORDER \(fallback\)\s+sessions no rule decides\s+spayon → smart_glocal → komoju/);
    await page.close();
  });
});
