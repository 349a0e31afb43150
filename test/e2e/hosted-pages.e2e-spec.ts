import { createServer, Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TEST_CARDS } from '@paymux/smart-glocal';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/admin-client';
import { startTestApp, TestApp } from '../support/app';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

jest.setTimeout(180_000);

/**
 * What a buyer sees, in a real browser: each simulator's hosted page and paymux's own pages, from
 * the shop's redirect to the buyer's return to the shop (a small local server standing in for it).
 */
describe('hosted payment pages in a real browser', () => {
  let app: TestApp;
  let shop: Server;
  let shopUrl: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    shop = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Shop</title><h1>Shop</h1><p id="landed">${req.url!.replace(/[<>&"]/g, '')}</p>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    app = await startTestApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => shop?.close(resolve));
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1024, height: 800 });
  });

  afterEach(async () => {
    await page.close();
  });

  const createSession = async (body: Record<string, unknown>) =>
    (await app.api().post('/v1/sessions', { return_url: `${shopUrl}/thanks?order=7`, cancel_url: `${shopUrl}/cart`, ...body }).expect(201)).body;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `hosted-${name}.png`), fullPage: true });
  const landedOn = async () => {
    await page.waitForURL(`${shopUrl}/**`, { timeout: 30_000 });
    return new URL(page.url());
  };

  async function payInWidget(number: string): Promise<void> {
    await page.fill('input[name="number"]', number);
    await page.fill('input[name="expiration_month"]', '12');
    await page.fill('input[name="expiration_year"]', '35');
    await page.fill('input[name="security_code"]', '123');
    await page.getByRole('button', { name: 'Pay' }).click();
  }

  it('Smart Glocal: the pay page shows the merchant, amount and description; a declined card is told with its reason, then back to cancel_url', async () => {
    const session = await createSession({ provider: 'smart_glocal', amount: 500000, currency: 'AMD', description: 'Phone case', customer: { reference: 'buyer-1' } });
    await page.goto(session.redirect_url);
    await page.locator('form.smgl-payment-form').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain(`Pay 127.0.0.1:${new URL(shopUrl).port}`);
    expect(text).toContain('5,000.00 AMD');
    expect(text).toContain('Phone case');
    await shot('smart-glocal-pay');

    await payInWidget(TEST_CARDS.declined);
    await page.getByRole('heading', { name: 'Payment declined' }).waitFor({ timeout: 30_000 });
    const outcome = await page.locator('body').innerText();
    expect(outcome).toContain('The card was declined by the issuer');
    expect(outcome).toContain('5,000.00 AMD');
    await shot('smart-glocal-declined');

    await page.getByRole('link', { name: 'Back to the shop' }).click();
    const back = await landedOn();
    expect(back.pathname).toBe('/cart');
    expect(back.searchParams.get('paymux_session_id')).toBe(session.id);
  });

  it('Smart Glocal: a paid card lands on return_url with paymux_session_id, its query string kept', async () => {
    const session = await createSession({ provider: 'smart_glocal', amount: 2500, currency: 'USD', customer: { reference: 'buyer-2' } });
    await page.goto(session.redirect_url);
    expect(await page.locator('.amount').innerText()).toBe('$25.00');
    await payInWidget(TEST_CARDS.succeeds);
    const back = await landedOn();
    expect(back.pathname).toBe('/thanks');
    expect(back.searchParams.get('order')).toBe('7');
    expect(back.searchParams.get('paymux_session_id')).toBe(session.id);
    expect((await app.api().get(`/v1/sessions/${session.id}`).expect(200)).body.status).toBe('succeeded');
  });

  it('Smart Glocal: the buyer who cancels on the pay page goes to cancel_url', async () => {
    const session = await createSession({ provider: 'smart_glocal', amount: 2500, currency: 'EUR', customer: { reference: 'buyer-3' } });
    await page.goto(session.redirect_url);
    expect(await page.locator('.amount').innerText()).toBe('€25.00');
    await page.getByRole('link', { name: 'Cancel and go back to the shop' }).click();
    const back = await landedOn();
    expect(back.pathname).toBe('/cart');
    expect(back.searchParams.get('paymux_session_id')).toBe(session.id);
  });

  it('Spayon: money in the currency and methods by name; a decline the buyer may retry is told; Back goes to cancel_url', async () => {
    const session = await createSession({ provider: 'spayon', amount: 500000, currency: 'AMD', description: 'Phone case' });
    await page.goto(session.redirect_url);
    const text = await page.locator('body').innerText();
    expect(text).toContain('5,000.00 AMD');
    expect(text).toContain('Visa / Mastercard');
    expect(text).toContain('Mir');
    expect(text).not.toContain('visamaster');
    await shot('spayon-pay');

    await page.selectOption('select[name="code"]', '51');
    await page.check('input[name="retry"]');
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByText('Your payment was declined: Insufficient funds (code 51). You can try again.').waitFor();
    expect(await page.getByRole('button', { name: 'Try again 5,000.00 AMD' }).count()).toBe(1);
    await shot('spayon-declined-retry');

    await page.getByRole('button', { name: 'Back' }).click();
    const back = await landedOn();
    expect(back.pathname).toBe('/cart');
    expect(back.searchParams.get('paymux_session_id')).toBe(session.id);
  });

  it('Spayon: paying lands on return_url with paymux_session_id', async () => {
    const session = await createSession({ provider: 'spayon', amount: 100000, currency: 'USD' });
    await page.goto(session.redirect_url);
    await page.getByRole('button', { name: 'Pay $1,000.00' }).click();
    const back = await landedOn();
    expect(back.pathname).toBe('/thanks');
    expect(back.searchParams.get('paymux_session_id')).toBe(session.id);
  });

  it('KOMOJU: a zero-decimal amount reads ¥5,000 and methods by name; a failed attempt may be retried; leaving goes to cancel_url', async () => {
    const session = await createSession({ provider: 'komoju', amount: 5000, currency: 'JPY', payment_methods: ['credit_card', 'konbini', 'paypay'] });
    await page.goto(session.redirect_url);
    const text = await page.locator('body').innerText();
    expect(text).toContain('¥5,000');
    for (const name of ['Credit card', 'Konbini (convenience store)', 'PayPay']) expect(text).toContain(name);
    expect(text).not.toContain('credit_card');
    await shot('komoju-pay');

    await page.getByRole('button', { name: 'Fail this attempt' }).click();
    await page.getByText('The payment failed. You may try again.').waitFor();
    await shot('komoju-failed-retry');

    await page.getByRole('button', { name: 'Abandon and go back' }).click();
    const back = await landedOn();
    expect(back.pathname).toBe('/cart');
    expect(back.searchParams.get('paymux_session_id')).toBe(session.id);
  });

  it('a return link for a session paymux does not know is a clear page, not an error dump', async () => {
    const res = await page.goto(`${app.url}/v1/return/sess_01JD0000000000000000000000`);
    expect(res!.status()).toBe(404);
    expect(await page.getByRole('heading').innerText()).toBe('Payment not found');
    await shot('return-unknown');
  });
});
