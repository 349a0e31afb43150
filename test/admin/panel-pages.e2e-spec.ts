import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { AdminClient, launchChromium, signInPage } from '../support/admin-client';
import { BuiltServer, startBuiltServer } from '../support/built-server';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const API_KEY = 'pmx_admin_pages_test_key_0123456789abcdef';
const PASSWORD = 'pages-test-password-123';
const USERS = { admin: 'owner@example.com', merchant: 'merchant@example.com', operator: 'operator@example.com' };

jest.setTimeout(180_000);

describe('admin panel pages a person uses, in a real browser against the built server', () => {
  let server: BuiltServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const offsite: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startBuiltServer({ ADMIN_EMAIL: USERS.admin, ADMIN_PASSWORD: PASSWORD, BOOTSTRAP_API_KEY: API_KEY });
    const owner = await AdminClient.signIn(server.url, USERS.admin, PASSWORD);
    await owner.createUser(USERS.merchant, PASSWORD, 'merchant');
    await owner.createUser(USERS.operator, PASSWORD, 'operator');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    await browser.context.clearCookies();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) offsite.push(url);
    });
  });

  afterEach(async () => {
    await page.close();
  });

  const rest = async <T = { id: string }>(method: 'GET' | 'POST', path: string, body?: object, key = API_KEY): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as T;
  };

  /** The words of the page's table cells that the browser broke over two lines. */
  function brokenWords(): Promise<string[]> {
    return page.evaluate(() => {
      type Node = { nodeType: number; textContent: string | null };
      const d = (globalThis as unknown as {
        document: {
          querySelectorAll(s: string): ArrayLike<unknown>;
          createTreeWalker(root: unknown, what: number): { nextNode(): Node | null };
          createRange(): { setStart(n: Node, o: number): void; setEnd(n: Node, o: number): void; getClientRects(): ArrayLike<unknown> };
        };
      }).document;
      const broken: string[] = [];
      for (const cell of Array.from(d.querySelectorAll('td'))) {
        const walker = d.createTreeWalker(cell, 4);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? '';
          for (const match of text.matchAll(/\S+/g)) {
            const range = d.createRange();
            range.setStart(node, match.index!);
            range.setEnd(node, match.index! + match[0].length);
            if (range.getClientRects().length > 1) broken.push(match[0]);
          }
        }
      }
      return broken;
    });
  }

  const signIn = (email: string) => signInPage(page, server.url, email, PASSWORD);

  it('the sign-in page names paymux and what it is, without AdminJS text', async () => {
    await page.goto(`${server.url}/admin/login`);
    await page.locator('input[name="email"]').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('paymux');
    expect(text).toMatch(/Payments admin/);
    expect(text).not.toMatch(/AdminJS|auto-generated|Welcome/i);
    // paymux's page, not AdminJS's with its illustrations.
    await page.getByTestId('login').waitFor();
    expect(await page.locator('svg').count()).toBe(0);
    expect(await page.getByText('Sign in', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-login.png'), fullPage: true });
  });

  it('Cancel is offered on an open session only, asks with buttons named by what they do, and says a Spayon cancel is local', async () => {
    const session = await rest('POST', '/v1/sessions', {
      provider: 'spayon', amount: 500000, currency: 'AMD', description: 'Order #7', return_url: 'https://shop.example/thanks', order_id: 'ORDER_7',
    });
    await signIn(USERS.admin);
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/show`);
    const offered = page.getByTestId('action-cancel');
    expect(await offered.innerText()).toContain('Cancel session');
    await offered.click();
    await page.getByTestId('confirm-action').waitFor();
    expect(page.url()).toContain(`/records/${session.id}/cancel`);
    await page.getByText('Cancel this session?').waitFor();
    expect(await page.getByTestId('confirm-note').innerText()).toContain('spayon has no cancel call: the session is cancelled in paymux only');
    const buttons = await page.getByTestId('confirm-action').locator('button, a').allInnerTexts();
    expect(buttons.map((text) => text.trim())).toEqual(['Cancel session', 'Keep session']);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-session-cancel.png'), fullPage: true });
    // Opening the page changed nothing.
    expect((await rest<{ status: string }>('GET', `/v1/sessions/${session.id}`)).status).toBe('open');

    await Promise.all([page.waitForURL(`**/records/${session.id}/show**`), page.getByRole('button', { name: 'Cancel session' }).click()]);
    await page.getByText('Session cancelled').waitFor();
    expect((await rest<{ status: string }>('GET', `/v1/sessions/${session.id}`)).status).toBe('cancelled');
    await page.reload();
    await page.getByText('ORDER_7').first().waitFor();
    expect(await page.getByTestId('action-cancel').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-session-cancelled.png'), fullPage: true });
  });

  it('the new product form shows Active ticked, saves it so, and the saved product renders with the success notice only', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await rest('POST', '/v1/products', { name: 'With metadata', amount: 1000, currency: 'USD', metadata: { colour: 'red', sizes: 'S,M' } });
    await signIn(USERS.admin);
    await page.goto(`${server.url}/admin/resources/Product/actions/new`);
    const active = page.locator('input[type="checkbox"]#active, input[type="checkbox"][name="active"]').first();
    await active.waitFor({ state: 'attached' });
    expect(await active.isChecked()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-product-new.png'), fullPage: true });
    await page.locator('[name="name"]').fill('Gift card');
    await page.locator('[name="amount"]').fill('25.00');
    await page.locator('[name="currency"]').fill('USD');
    await Promise.all([page.waitForURL(`${server.url}/admin/resources/Product`), page.click('[data-testid="button-save"]')]);
    await page.locator('tr', { hasText: 'Gift card' }).waitFor();
    const products = (await rest<{ data: { id: number; name: string; active: boolean }[] }>('GET', '/v1/products')).data;
    const saved = products.find((product) => product.name === 'Gift card')!;
    expect(saved.active).toBe(true);
    for (const product of products) {
      await page.goto(`${server.url}/admin/resources/Product/records/${product.id}/show`);
      await page.getByText(product.name).first().waitFor();
    }
    await page.getByText('colour').first().waitFor();
    expect(errors).toEqual([]);
  });

  it("a session's page lists its status changes, notification events and callbacks, ids linked, times to the second, unbroken at 1280 px", async () => {
    const session = await rest('POST', '/v1/sessions', {
      provider: 'spayon', amount: 120000, currency: 'AMD', description: 'Order #9', return_url: 'https://shop.example/thanks', order_id: 'ORDER_9',
    });
    await rest('POST', `/v1/sessions/${session.id}/cancel`);
    const [event] = (await rest<{ data: { id: string }[] }>('GET', `/v1/events?session_id=${session.id}`)).data;
    await signIn(USERS.admin);
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/show`);
    const changes = page.getByTestId('related-SessionEvent');
    await changes.getByText('cancelled').first().waitFor();
    expect(await changes.innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    const events = page.getByTestId('related-Event');
    expect(await events.innerText()).toContain('session.cancelled');
    expect(await page.getByTestId('related-InboundWebhook').count()).toBe(1);
    // No cell of the lists breaks a word over two lines.
    expect(await brokenWords()).toEqual([]);
    expect(await page.getByTestId('time-createdAt').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-session-related.png'), fullPage: true });
    await Promise.all([page.waitForURL(`**/resources/Event/records/${event.id}/show`), events.getByRole('link', { name: event.id }).click()]);
    await page.getByText('session.cancelled').first().waitFor();

    // A merchant may not list inbound callbacks: the section is not even read for it.
    await page.goto(`${server.url}/admin/logout`);
    await signIn(USERS.merchant);
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/show`);
    await page.getByTestId('related-SessionEvent').waitFor();
    expect(await page.getByTestId('related-InboundWebhook').count()).toBe(0);
  });

  it('lists at 1280 px show ids and times whole, times to the second, and ids of other records link to them', async () => {
    const session = await rest('POST', '/v1/sessions', {
      provider: 'spayon', amount: 99000, currency: 'AMD', description: 'A rather long description of an order, to fill the column', return_url: 'https://shop.example/thanks', order_id: 'ORDER_LONG_0123456789',
    });
    await rest('POST', `/v1/sessions/${session.id}/cancel`);
    await rest('POST', '/v1/products', { name: 'A product with a long name to fill its column', amount: 123456, currency: 'AMD' });
    await signIn(USERS.admin);
    for (const resource of ['Session', 'SessionEvent', 'Event', 'ApiKey', 'Product']) {
      await page.goto(`${server.url}/admin/resources/${resource}`);
      await page.locator('tbody tr').first().waitFor();
      expect({ resource, broken: await brokenWords() }).toEqual({ resource, broken: [] });
    }
    await page.goto(`${server.url}/admin/resources/Event`);
    const row = page.locator('tr', { hasText: session.id });
    expect(await row.innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-events-1280.png'), fullPage: true });
    await Promise.all([page.waitForURL(`**/resources/Session/records/${session.id}/show`), row.getByRole('link', { name: session.id }).click()]);
    await page.getByTestId('related-Event').waitFor();
  });

  it('deleting a product asks with Delete product / Keep product, and only the first deletes it', async () => {
    const product = await rest<{ id: number }>('POST', '/v1/products', { name: 'Old poster', amount: 1500, currency: 'USD' });
    await signIn(USERS.admin);
    await page.goto(`${server.url}/admin/resources/Product/records/${product.id}/show`);
    await page.getByTestId('action-delete').click();
    await page.getByText('Delete this product?').waitFor();
    const buttons = await page.getByTestId('confirm-action').locator('button, a').allInnerTexts();
    expect(buttons.map((text) => text.trim())).toEqual(['Delete product', 'Keep product']);
    await Promise.all([page.waitForURL(`**/records/${product.id}/show`), page.getByText('Keep product').click()]);
    expect((await fetch(`${server.url}/v1/products/${product.id}`, { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(200);

    await page.getByTestId('action-delete').click();
    await Promise.all([page.waitForURL(`${server.url}/admin/resources/Product`), page.getByRole('button', { name: 'Delete product' }).click()]);
    expect((await fetch(`${server.url}/v1/products/${product.id}`, { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(404);
  });

  it('a role that may not open a page gets a page in words, not JSON, with the way back', async () => {
    await signIn(USERS.merchant);
    const response = await page.goto(`${server.url}/admin/resources/AdminUser`);
    expect(response?.status()).toBe(403);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    const text = await page.getByTestId('forbidden').innerText();
    expect(text).toContain('Not available to your role');
    expect(text).toContain('merchant role, which may not open Admin users');
    expect(text).not.toContain('{');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-forbidden.png'), fullPage: true });
    await Promise.all([page.waitForURL(`${server.url}/admin`), page.getByRole('link', { name: 'Back to the dashboard' }).click()]);
    await page.getByTestId('dashboard').waitFor();
  });

  it('the dashboard shows a role only what it may use: jobs and routing for operators, not for merchants', async () => {
    await signIn(USERS.merchant);
    await page.getByTestId('dashboard').waitFor();
    await page.getByRole('heading', { name: 'Sessions in the last 24 hours' }).waitFor();
    expect(await page.getByTestId('routing').count()).toBe(0);
    expect(await page.getByTestId('jobs').count()).toBe(0);
    expect(await page.getByText('Scheduled jobs').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-dashboard-merchant.png'), fullPage: true });
    const data = await page.evaluate(async () => (await fetch('/admin/api/dashboard')).json());
    expect(data).not.toHaveProperty('jobs');
    expect(data).not.toHaveProperty('routing');

    await page.goto(`${server.url}/admin/logout`);
    await signIn(USERS.operator);
    await page.getByTestId('jobs').waitFor();
    await page.getByTestId('routing').waitFor();
  });

  it('an API key shows when it was last used (how often it is written: api-key-last-used.e2e-spec)', async () => {
    const owner = await AdminClient.signIn(server.url, USERS.admin, PASSWORD);
    const created = (await (await owner.post('/admin/api/resources/ApiKey/actions/new', { name: 'shop backend' })).json()) as { key: string; record: { id: string } };
    const lastUsed = async () => ((await (await owner.get(`/admin/api/resources/ApiKey/records/${created.record.id}/show`)).json()) as { record: { params: { lastUsedAt?: string | null } } }).record.params.lastUsedAt ?? null;
    expect(await lastUsed()).toBeNull();

    await rest('GET', '/v1/products', undefined, created.key);
    const first = await lastUsed();
    expect(first).toEqual(expect.any(String));

    await signIn(USERS.admin);
    await page.goto(`${server.url}/admin/resources/ApiKey`);
    const row = page.locator('tr', { hasText: 'shop backend' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/\d{1,2}:\d{2}/);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-api-keys.png'), fullPage: true });
  });

  it('no page of the panel asks for anything off this machine (no web fonts)', async () => {
    await signIn(USERS.admin);
    for (const path of ['/admin', '/admin/resources/Product', '/admin/resources/Product/actions/new', '/admin/resources/Session', '/admin/resources/ApiKey']) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
    }
    expect(offsite).toEqual([]);
    // The text the panel writes (its navigation), not the page body AdminJS leaves unstyled.
    const font = await page.getByText('Payments', { exact: true }).first().evaluate((cell) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } }).getComputedStyle(cell).fontFamily);
    // The system font stack, not AdminJS's default ('Roboto', sans-serif: a web font).
    expect(font).toMatch(/^system-ui,/);
  });
});
