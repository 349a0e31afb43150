import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { AdminClient, launchChromium, signInPage } from '../support/admin-client';
import { BuiltServer, startBuiltServer } from '../support/built-server';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const API_KEY = 'pmx_admin_panel_test_key_0123456789abcdef';
const ADMIN = { email: 'owner@example.com', password: 'owner-password-123' };
const MERCHANT = { email: 'merchant@example.com', password: 'merchant-password-123' };

jest.setTimeout(180_000);

describe('admin panel in a real browser, against the built server', () => {
  let server: BuiltServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startBuiltServer({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, BOOTSTRAP_API_KEY: API_KEY });
    const admin = await AdminClient.signIn(server.url, ADMIN.email, ADMIN.password);
    await admin.createUser(MERCHANT.email, MERCHANT.password, 'merchant');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    await browser.context.clearCookies();
    page = await browser.context.newPage();
  });

  afterEach(async () => {
    await page.close();
  });

  const api = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${API_KEY}` } });

  async function signIn(email: string, password: string): Promise<void> {
    // Signed out, the panel sends the browser to its sign-in page.
    await page.goto(`${server.url}/admin`);
    await page.waitForURL('**/admin/login');
    await signInPage(page, server.url, email, password);
    // The sidebar remembers opened groups in local storage: start every test with them closed.
    await page.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
    await page.reload();
  }

  /** The sidebar's text with every navigation group opened. */
  async function sidebarText(): Promise<string> {
    for (const group of ['Payments', 'Operations', 'Access']) {
      const label = page.getByText(group, { exact: true });
      if ((await label.count()) > 0) await label.first().click();
    }
    return page.locator('body').innerText();
  }

  async function fillProductForm(fields: { name?: string; amount?: string; currency?: string; spayonProductId?: string }): Promise<void> {
    for (const [field, value] of Object.entries(fields)) {
      const input = page.locator(`[name="${field}"]`);
      await input.fill(value);
    }
  }

  async function save(): Promise<void> {
    await page.click('[data-testid="button-save"]');
  }

  it('the sign-in page speaks of paymux, not of AdminJS', async () => {
    await page.goto(`${server.url}/admin/login`);
    await page.locator('input[name="email"]').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('paymux');
    expect(text).toContain('Payments admin');
    expect(text).not.toMatch(/AdminJS|auto-generated admin panel/);
  });

  it('an admin signs in, creates a product in major units, sees it in the list and the API, edits its price and signs out', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await signIn(ADMIN.email, ADMIN.password);
    await page.getByTestId('dashboard').waitFor();
    await page.getByRole('heading', { name: 'Sessions in the last 24 hours' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'admin-dashboard.png'), fullPage: true });
    expect(await sidebarText()).toContain('Admin users');

    await page.goto(`${server.url}/admin/resources/Product/actions/new`);
    await page.getByText('Spayon marketplace product id').waitFor();
    await fillProductForm({ name: 'Phone case', amount: '5000.00', currency: 'amd', spayonProductId: '42' });
    await Promise.all([page.waitForURL(`${server.url}/admin/resources/Product`), save()]);
    const row = page.locator('tr', { hasText: 'Phone case' });
    await row.waitFor();
    expect(await row.innerText()).toContain('5000.00');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-products.png'), fullPage: true });

    // Saving shows the success notice only: the page renders the saved record without an error.
    expect(pageErrors).toEqual([]);
    expect(await page.locator('[data-testid="notice-wrapper"] [variant="danger"], .adminjs_Notice [data-css*="danger"]').count()).toBe(0);
    const list = (await (await api('/v1/products')).json()) as { data: { id: number; name: string }[] };
    const id = list.data.find((product) => product.name === 'Phone case')!.id;
    const created = await (await api(`/v1/products/${id}`)).json();
    expect(created).toMatchObject({ id, name: 'Phone case', amount: 500000, currency: 'AMD', spayon_product_id: 42, active: true });

    await page.goto(`${server.url}/admin/resources/Product/records/${id}/edit`);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('[name="amount"]')?.value === '5000.00');
    // The Spayon product id, kept in the product's provider catalogue ids, is the form's own field.
    expect(await page.locator('[name="spayonProductId"]').inputValue()).toBe('42');
    await fillProductForm({ amount: '6250.5' });
    await Promise.all([page.waitForURL(`**/admin/resources/Product/records/${id}/show**`), save()]);
    await page.getByText('6250.50').first().waitFor();
    expect(await page.locator('body').innerText()).toMatch(/Spayon marketplace product id\s+42/);
    expect(await (await api(`/v1/products/${id}`)).json()).toMatchObject({ amount: 625050, currency: 'AMD', spayon_product_id: 42 });

    await page.goto(`${server.url}/admin/logout`);
    await page.waitForURL('**/admin/login');
    const after = await page.evaluate(async () => (await fetch('/admin/api/resources/Product/actions/list')).status);
    expect(after).toBe(401);
  });

  it('a session paid at another amount than recorded shows the mismatch to an operator, in the list and on its page', async () => {
    const post = (path: string, body: object) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // The Spayon simulator's catalogue sells product 1 at 1000.00 AMD; paymux records 10000.00 AMD.
    const product = (await (await post('/v1/products', { name: 'Mispriced', amount: 1000000, currency: 'AMD', spayon_product_id: 1 })).json()) as { id: number };
    // The shop is this server's health page, so the buyer's way back ends on a page that loads.
    const session = (await (await post('/v1/sessions', { provider: 'spayon', product_id: product.id, return_url: `${server.url}/health` })).json()) as { id: string; redirect_url: string };
    const statusNow = async () => ((await (await api(`/v1/sessions/${session.id}`)).json()) as { status: string }).status;
    await page.goto(session.redirect_url);
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL((url) => url.searchParams.get('paymux_session_id') === session.id);
    for (let i = 0; i < 100 && (await statusNow()) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));

    await signIn(ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/show`);
    await page.getByText('1000.00 AMD reported at').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('amount_mismatch');
    expect(text).toContain('10000.00');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-session-amount-mismatch.png'), fullPage: true });
    await page.goto(`${server.url}/admin/resources/Session`);
    await page.locator('tr', { hasText: session.id }).getByText('1000.00 AMD reported at').waitFor();
  });

  it('the panel loads minified bundles, compressed, under content-hashed URLs cached for a year, with no request off the machine', async () => {
    const bundles: { url: string; encoding?: string; cache?: string; bytes: number }[] = [];
    const offsite: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(server.url) && !req.url().startsWith('data:')) offsite.push(req.url());
    });
    page.on('response', async (res) => {
      if (!/\/admin\/frontend\/assets\/.+\.bundle\.js/.test(res.url())) return;
      const headers = res.headers();
      bundles.push({ url: res.url(), encoding: headers['content-encoding'], cache: headers['cache-control'], bytes: (await res.request().sizes()).responseBodySize });
    });
    const started = Date.now();
    await signIn(ADMIN.email, ADMIN.password);
    await page.getByTestId('dashboard').waitFor();
    const elapsed = Date.now() - started;

    expect(bundles.map((b) => new URL(b.url).pathname).sort()).toEqual(expect.arrayContaining([
      '/admin/frontend/assets/app.bundle.js', '/admin/frontend/assets/components.bundle.js',
      '/admin/frontend/assets/design-system.bundle.js', '/admin/frontend/assets/global.bundle.js',
    ]));
    for (const bundle of bundles) {
      expect(bundle).toMatchObject({ url: expect.stringMatching(/\?v=[0-9a-f]{16}$/), encoding: 'br', cache: 'public, max-age=31536000, immutable' });
    }
    // One page's weight (each bundle once): a property of what is served, not a timing. The
    // development builds AdminJS picks by default weigh ~26 MB.
    const weight = [...new Map(bundles.map((b) => [b.url, b.bytes])).values()].reduce((sum, bytes) => sum + bytes, 0);
    expect(weight).toBeLessThan(1_000_000);
    expect(offsite).toEqual([]);
    process.stdout.write(`admin panel: ${(weight / 1024).toFixed(0)} KiB of JavaScript over the wire for a page; sign-in to dashboard ${elapsed} ms\n`);
  });

  it('the product form shows the field errors of the API rules and saves nothing', async () => {
    await signIn(ADMIN.email, ADMIN.password);
    const before = ((await (await api('/v1/products')).json()) as { data: unknown[] }).data.length;

    await page.goto(`${server.url}/admin/resources/Product/actions/new`);
    await page.locator('[name="name"]').waitFor();
    await fillProductForm({ name: 'Too precise', amount: '12.345', currency: 'AMD' });
    await save();
    await page.getByText('12.345 AMD has more decimals than AMD allows (2)').waitFor();

    await fillProductForm({ amount: '12.34', currency: 'ZZZ' });
    await save();
    await page.getByText('currency must be an ISO 4217 currency code').waitFor();

    await fillProductForm({ currency: 'AMD', spayonProductId: '0' });
    await save();
    await page.getByText('spayon_product_id must not be less than 1').waitFor();

    expect(page.url()).toBe(`${server.url}/admin/resources/Product/actions/new`);
    expect(((await (await api('/v1/products')).json()) as { data: unknown[] }).data.length).toBe(before);
  });

  it('a merchant cannot open Admin users: hidden in the UI and refused by the server', async () => {
    await signIn(MERCHANT.email, MERCHANT.password);
    await page.getByTestId('dashboard').waitFor();
    const sidebar = await sidebarText();
    expect(sidebar).toContain('Products');
    expect(sidebar).not.toContain('Access');
    expect(sidebar).not.toContain('Admin users');
    expect(sidebar).not.toContain('API keys');
    expect(await page.locator('a[href="/admin/resources/AdminUser"]').count()).toBe(0);

    const direct = await page.goto(`${server.url}/admin/resources/AdminUser`);
    expect(direct?.status()).toBe(403);
    const status = await page.evaluate(async () => (await fetch('/admin/api/resources/AdminUser/actions/list')).status);
    expect(status).toBe(403);
  });
});
