import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { AdminClient, launchChromium, signInPage } from '../support/admin-client';
import { BuiltServer, startBuiltServer } from '../support/built-server';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const API_KEY = 'pmx_admin_refunds_test_key_0123456789abcdef';
const PASSWORD = 'refund-test-password-123';
const RETURN_URL = 'https://shop.example/thanks';

interface Notice {
  message: string;
  type: string;
}
interface ActionAnswer {
  notice?: Notice;
  confirmation?: { amount: number; question: string };
  refund?: { id: string; status: string; amountText: string; failure: string | null };
  record: { params: Record<string, unknown>; recordActions: Array<{ name: string }> };
}
interface RefundJson {
  id: string;
  amount: number;
  currency: string;
  status: string;
  failure: { code: string; message: string } | null;
}

jest.setTimeout(240_000);

/**
 * Refunds from the admin panel, against the built server (`npm start`) with KOMOJU's simulator
 * served by it: real HTTP from the panel to RefundsService to the simulator and back, a real
 * browser for the merchant's way through the pages.
 */
describe('refunds in the admin panel', () => {
  let server: BuiltServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let merchant: AdminClient;
  let operator: AdminClient;
  let orderSeq = 0;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startBuiltServer({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: PASSWORD, BOOTSTRAP_API_KEY: API_KEY, PROVIDER_TIMEOUT_MS: '1000' });
    const owner = await AdminClient.signIn(server.url, 'owner@example.com', PASSWORD);
    await owner.createUser('merchant@example.com', PASSWORD, 'merchant');
    await owner.createUser('operator@example.com', PASSWORD, 'operator');
    merchant = await AdminClient.signIn(server.url, 'merchant@example.com', PASSWORD);
    operator = await AdminClient.signIn(server.url, 'operator@example.com', PASSWORD);
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
    await refundFaults({ refuseWith: null, answerDelayMs: 0 });
    await simulatorFaults({ wrongSignature: false });
  });

  async function rest<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  const refundsOf = async (sessionId: string) => (await rest<{ data: RefundJson[] }>('GET', `/v1/sessions/${sessionId}/refunds`)).data;
  const statusOf = async (sessionId: string) => (await rest<{ status: string }>('GET', `/v1/sessions/${sessionId}`)).status;

  async function refundFaults(faults: object): Promise<void> {
    const res = await fetch(`${server.url}/simulators/komoju/__komoju_refund_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    expect(res.status).toBe(200);
  }

  async function simulatorFaults(faults: object): Promise<void> {
    const res = await fetch(`${server.url}/simulators/komoju/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    expect(res.status).toBe(200);
  }

  async function newSession(amount = 1000000, { provider = 'komoju', currency = 'USD', returnUrl = RETURN_URL } = {}) {
    return rest<{ id: string; redirect_url: string }>('POST', '/v1/sessions', { provider, amount, currency, description: 'Order', return_url: returnUrl, order_id: `refund-admin-${++orderSeq}` });
  }

  async function waitPaid(sessionId: string): Promise<void> {
    for (let i = 0; i < 200 && (await statusOf(sessionId)) !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await statusOf(sessionId)).toBe('succeeded');
  }

  /** A KOMOJU session the customer paid by card on the simulator's hosted page (its form, over plain HTTP). */
  async function paidSession(amount = 1000000) {
    const session = await newSession(amount);
    const html = await (await fetch(session.redirect_url)).text();
    const action = /<form method="post" action="([^"]+\/pay)">/.exec(html)![1].replace(/&amp;/g, '&');
    const paid = await fetch(action, { method: 'POST', body: new URLSearchParams({ payment_type: 'credit_card', outcome: 'pay' }), redirect: 'manual' });
    expect(paid.status).toBeLessThan(400);
    await waitPaid(session.id);
    return session;
  }

  const refundPath = (sessionId: string) => `/admin/api/resources/Session/records/${sessionId}/refund`;
  async function refundAction(client: AdminClient, sessionId: string, fields: Record<string, string>): Promise<ActionAnswer> {
    const res = await client.post(refundPath(sessionId), fields);
    expect(res.status).toBe(200);
    return (await res.json()) as ActionAnswer;
  }
  async function shownActions(client: AdminClient, sessionId: string): Promise<string[]> {
    const res = await client.get(`/admin/api/resources/Session/records/${sessionId}/show`);
    expect(res.status).toBe(200);
    return ((await res.json()) as ActionAnswer).record.recordActions.map((action) => action.name);
  }

  const signIn = (email: string) => signInPage(page, server.url, email, PASSWORD);

  it('a merchant pays through KOMOJU, refunds part of it from the session page after confirming the amount, sees it in Refunds, and is refused an over-refund', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The shop is this server's health page, so the buyer's way back ends on a page that loads
    // before the merchant's sign-in navigates the same tab.
    const session = await newSession(1000000, { returnUrl: `${server.url}/health` });
    // The customer pays on the simulator's hosted page and comes back to the shop.
    await page.goto(session.redirect_url);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('paymux_session_id') === session.id),
      page.getByRole('button', { name: 'Pay', exact: true }).click(),
    ]);
    await waitPaid(session.id);

    await signIn('merchant@example.com');
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/show`);
    await page.getByText(session.id).first().waitFor();
    await page.getByRole('button', { name: 'Refund', exact: true }).or(page.getByRole('link', { name: 'Refund', exact: true })).first().click();
    await page.getByTestId('refund-summary').waitFor();
    expect(await page.getByTestId('refund-summary').innerText()).toBe('Paid 10,000.00 USD; left to refund 10,000.00 USD.');

    await page.locator('input[name="mode"][value="partial"]').check();
    await page.fill('input[name="amount"]', '5000');
    await page.fill('input[name="reason"]', 'one item returned');
    await page.getByTestId('refund-review').click();
    await page.getByTestId('refund-confirmation').waitFor();
    expect(await page.getByTestId('refund-confirmation').innerText()).toContain('Refund 5,000.00 USD of 10,000.00 USD?');
    // Nothing is refunded before the confirmation.
    expect(await refundsOf(session.id)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-refund-confirmation.png'), fullPage: true });

    await page.getByTestId('refund-confirm').click();
    await page.getByTestId('refund-outcome').waitFor();
    expect(await page.getByTestId('refund-outcome').innerText()).toMatch(/Refunded 5,000\.00 USD \(refund re_/);
    const [refund] = await refundsOf(session.id);
    expect(refund).toMatchObject({ amount: 500000, currency: 'USD', status: 'succeeded', reason: 'one item returned' });
    expect(await page.getByTestId('refund-summary').innerText()).toBe('Paid 10,000.00 USD; left to refund 5,000.00 USD.');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-refund-done.png'), fullPage: true });

    // The session's refunds, from its Refund page; then every refund.
    await page.getByTestId('session-refunds-link').click();
    await page.locator('tr', { hasText: refund.id }).waitFor();
    await page.goto(`${server.url}/admin/resources/Refund`);
    const row = page.locator('tr', { hasText: refund.id });
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain('5,000.00 USD');
    expect(rowText).toContain('succeeded');
    expect(rowText).toContain(session.id);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-refunds-list.png'), fullPage: true });
    // The refund's page links to its session.
    await page.goto(`${server.url}/admin/resources/Refund/records/${refund.id}/show`);
    await page.locator(`a[href*="/admin/resources/Session/records/${session.id}"]`).first().waitFor();
    // And the session's own page lists it under Refunds, as money.
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/show`);
    const listed = page.locator('tr', { hasText: refund.id });
    await listed.waitFor();
    expect(await listed.innerText()).toContain('5,000.00 USD');

    // More than is left: refused with a notice naming the amounts, and nothing is refunded.
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/refund`);
    await page.getByTestId('refund-summary').waitFor();
    await page.locator('input[name="mode"][value="partial"]').check();
    await page.fill('input[name="amount"]', '6000.00');
    await page.getByTestId('refund-review').click();
    await page.getByText('6,000.00 USD is more than is left to refund on this session (5,000.00 USD of 10,000.00 USD)').waitFor();
    expect(await page.getByTestId('refund-confirmation').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-refund-too-much.png'), fullPage: true });
    expect(await refundsOf(session.id)).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('a card payment on hold (manual capture) shows on the dashboard as a payment awaiting capture, until it is captured', async () => {
    const session = await rest<{ id: string; redirect_url: string }>('POST', '/v1/sessions', {
      provider: 'komoju', amount: 1000000, currency: 'USD', capture: 'manual', payment_methods: ['credit_card'],
      description: 'Held order', return_url: RETURN_URL, order_id: `refund-admin-${++orderSeq}`,
    });
    const html = await (await fetch(session.redirect_url)).text();
    const action = /<form method="post" action="([^"]+\/pay)">/.exec(html)![1].replace(/&amp;/g, '&');
    await fetch(action, { method: 'POST', body: new URLSearchParams({ payment_type: 'credit_card', outcome: 'pay' }), redirect: 'manual' });
    for (let i = 0; i < 200 && (await statusOf(session.id)) !== 'requires_capture'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await statusOf(session.id)).toBe('requires_capture');

    await signIn('merchant@example.com');
    const holds = page.getByTestId('holds');
    await holds.waitFor();
    expect(await holds.innerText()).toContain('1 awaiting capture');
    expect(await holds.innerText()).toContain('0 past their deadline');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-dashboard-holds.png'), fullPage: true });

    // Captured in part: the panel offers to refund what was taken, not what was authorized.
    await rest('POST', `/v1/sessions/${session.id}/capture`, { amount: 600000 });
    await page.reload();
    await page.getByTestId('dashboard').waitFor();
    expect(await page.getByTestId('holds').count()).toBe(0);
    const offer = (await (await merchant.get(refundPath(session.id))).json()) as ActionAnswer;
    expect(offer.record.params).toMatchObject({ refundAvailable: true, refundPaidText: '6,000.00 USD', refundLeftText: '6,000.00 USD', refundLeftMajor: '6000.00' });
    const tooMuch = await refundAction(merchant, session.id, { amount: '6000.01' });
    expect(tooMuch.notice).toMatchObject({ type: 'error', message: expect.stringContaining('(6,000.00 USD of 6,000.00 USD)') });
    const all = await refundAction(merchant, session.id, { full: 'true', confirmed: 'true' });
    expect(all.refund).toMatchObject({ status: 'succeeded', amountText: '6,000.00 USD' });
    expect(await shownActions(merchant, session.id)).not.toContain('refund');
  });

  it('an operator sees refunds but no Refund action, and its direct POST is refused with nothing refunded', async () => {
    const session = await paidSession(200000);
    expect(await shownActions(merchant, session.id)).toContain('refund');
    expect(await shownActions(operator, session.id)).not.toContain('refund');

    await signIn('operator@example.com');
    await page.goto(`${server.url}/admin/resources/Session/records/${session.id}/show`);
    await page.getByText(session.id).first().waitFor();
    expect(await page.getByRole('button', { name: 'Refund', exact: true }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Refund', exact: true }).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-refund-operator-session.png'), fullPage: true });

    // From the operator's own signed-in page, as a form would send it.
    const status = await page.evaluate(async (path) => {
      const data = new FormData();
      data.set('full', 'true');
      data.set('confirmed', 'true');
      return (await fetch(path, { method: 'POST', body: data })).status;
    }, refundPath(session.id));
    expect(status).toBe(403);
    expect((await operator.post(refundPath(session.id), { full: 'true', confirmed: 'true' })).status).toBe(403);
    expect((await operator.get(refundPath(session.id))).status).toBe(403);
    expect(await refundsOf(session.id)).toEqual([]);

    // Refunds are read-only for everyone: list and show only.
    const made = await refundAction(merchant, session.id, { full: 'true', confirmed: 'true' });
    expect(made.refund).toMatchObject({ status: 'succeeded', amountText: '2,000.00 USD' });
    const list = await operator.get('/admin/api/resources/Refund/actions/list');
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { records: Array<{ id: string; params: Record<string, unknown>; recordActions: Array<{ name: string }> }> };
    const shown = listed.records.find((record) => record.id === made.refund!.id)!;
    expect(shown.params).toMatchObject({ amount: '2,000.00 USD', status: 'succeeded', sessionId: session.id });
    expect(shown.recordActions.map((action) => action.name)).toEqual(['show']);
    for (const action of ['new', 'edit', 'delete']) {
      const path = action === 'new' ? '/admin/api/resources/Refund/actions/new' : `/admin/api/resources/Refund/records/${made.refund!.id}/${action}`;
      expect((await merchant.post(path, { amount: '1' })).status).toBe(403);
    }
  });

  it('only a POST with confirmed=true refunds; the service refuses an over-refund and a refund of a fully refunded session with a notice', async () => {
    const session = await paidSession(1000000);
    // Opening the page (GET) and asking for the confirmation change nothing.
    expect((await merchant.get(`${refundPath(session.id)}?full=true&confirmed=true`)).status).toBe(200);
    const asked = await refundAction(merchant, session.id, { full: 'false', amount: '2,500.5' });
    expect(asked.confirmation).toMatchObject({ amount: 250050, question: 'Refund 2,500.50 USD of 10,000.00 USD?' });
    expect(await refundsOf(session.id)).toEqual([]);

    // Confirmed over the rest: RefundsService's own check (under the session lock) answers.
    const tooMuch = await refundAction(merchant, session.id, { full: 'false', amount: '10000.01', confirmed: 'true' });
    expect(tooMuch.notice).toEqual({ type: 'error', message: expect.stringMatching(/amount 10000\.01 USD exceeds what is left to refund on session .+ \(10000\.00 USD\)/) });
    expect(tooMuch.refund).toBeUndefined();
    expect(await refundsOf(session.id)).toEqual([]);

    for (const [fields, message] of [
      [{ full: 'false', amount: '' }, 'Enter the amount to refund in USD, e.g. 10000.00'],
      [{ full: 'false', amount: '0' }, 'Enter an amount greater than zero'],
      [{ full: 'false', amount: '1.234' }, expect.stringContaining('Amount: ')],
      [{ full: 'false', amount: '-5' }, expect.stringContaining('is not a non-negative decimal amount')],
      [{ full: 'false', amount: '5', reason: 'x'.repeat(501) }, 'The reason is longer than 500 characters'],
    ] as const) {
      const answer = await refundAction(merchant, session.id, { ...fields, confirmed: 'true' });
      expect(answer.notice).toEqual({ type: 'error', message });
    }
    expect(await refundsOf(session.id)).toEqual([]);

    const all = await refundAction(merchant, session.id, { full: 'true', confirmed: 'true' });
    expect(all.notice).toMatchObject({ type: 'success', message: expect.stringContaining('Refunded 10,000.00 USD') });
    expect(all.record.params).toMatchObject({ refundAvailable: false, refundUnavailable: 'This session has nothing left to refund' });
    expect(await shownActions(merchant, session.id)).not.toContain('refund');
    const again = await refundAction(merchant, session.id, { full: 'true', confirmed: 'true' });
    expect(again.notice).toEqual({ type: 'error', message: 'This session has nothing left to refund' });
    expect(await refundsOf(session.id)).toEqual([expect.objectContaining({ amount: 1000000, status: 'succeeded' })]);
  });

  it('five confirmed full refunds sent at once refund the session once; the others are refused with a notice', async () => {
    const session = await paidSession(400000);
    const answers = await Promise.all(Array.from({ length: 5 }, () => refundAction(merchant, session.id, { full: 'true', confirmed: 'true' })));
    const made = answers.filter((answer) => answer.refund);
    expect(made).toHaveLength(1);
    expect(made[0].refund).toMatchObject({ status: 'succeeded', amountText: '4,000.00 USD' });
    for (const answer of answers.filter((a) => !a.refund)) {
      expect(answer.notice).toEqual({ type: 'error', message: expect.stringMatching(/exceeds what is left to refund|has nothing left to refund/) });
    }
    expect(await refundsOf(session.id)).toEqual([expect.objectContaining({ amount: 400000, status: 'succeeded' })]);
  });

  it("a provider's refusal shows as a failed refund with the provider's reason, in the notice and on the refund's page", async () => {
    const session = await paidSession(300000);
    await refundFaults({ refuseWith: 'unprocessable_entity' });
    const answer = await refundAction(merchant, session.id, { full: 'false', amount: '1000', confirmed: 'true' });
    expect(answer.refund).toMatchObject({ status: 'failed', amountText: '1,000.00 USD', failure: expect.stringContaining('The refund was refused') });
    expect(answer.notice).toEqual({ type: 'error', message: expect.stringMatching(/^Refund of 1,000\.00 USD failed at komoju: .*The refund was refused/) });
    // A failed refund holds nothing back: all of it is still offered.
    expect(answer.record.params).toMatchObject({ refundAvailable: true, refundLeftText: '3,000.00 USD' });
    const [failed] = await refundsOf(session.id);
    expect(failed).toMatchObject({ status: 'failed' });
    const shown = (await (await merchant.get(`/admin/api/resources/Refund/records/${failed.id}/show`)).json()) as ActionAnswer;
    expect(shown.record.params.failure).toEqual(expect.stringContaining('The refund was refused'));
  });

  it('a refund the provider does not answer in time is shown as pending, and still holds its amount back', async () => {
    const session = await paidSession(500000);
    // KOMOJU takes the refund but answers after paymux has stopped waiting (PROVIDER_TIMEOUT_MS),
    // and its webhooks are refused (wrongly signed): nothing has settled the refund yet.
    await refundFaults({ answerDelayMs: 2500 });
    await simulatorFaults({ wrongSignature: true });
    const answer = await refundAction(merchant, session.id, { full: 'false', amount: '1500', confirmed: 'true' });
    expect(answer.refund).toMatchObject({ status: 'pending', amountText: '1,500.00 USD' });
    expect(answer.notice).toEqual({ type: 'info', message: expect.stringMatching(/^Refund of 1,500\.00 USD is pending at komoju: its answer will settle it \(refund re_/) });
    expect(answer.record.params).toMatchObject({ refundAvailable: true, refundLeftText: '3,500.00 USD' });
    const tooMuch = await refundAction(merchant, session.id, { full: 'false', amount: '3500.01' });
    expect(tooMuch.notice).toMatchObject({ type: 'error', message: expect.stringContaining('(3,500.00 USD of 5,000.00 USD)') });
  });

  it('is not offered for an unpaid session nor for Spayon, and a POST there is refused with a notice naming why', async () => {
    const unpaid = await newSession(1000000);
    expect(await shownActions(merchant, unpaid.id)).not.toContain('refund');
    const notPaid = await refundAction(merchant, unpaid.id, { full: 'true', confirmed: 'true' });
    expect(notPaid.notice).toEqual({ type: 'error', message: expect.stringMatching(/^This session is \w+: only a succeeded session can be refunded$/) });

    const spayon = await newSession(500000, { provider: 'spayon', currency: 'AMD' });
    expect(await shownActions(merchant, spayon.id)).not.toContain('refund');
    const unsupported = await refundAction(merchant, spayon.id, { full: 'true', confirmed: 'true' });
    expect(unsupported.notice).toEqual({ type: 'error', message: 'spayon documents no refund call: this session cannot be refunded through paymux' });
    expect(await refundsOf(unpaid.id)).toEqual([]);
    expect(await refundsOf(spayon.id)).toEqual([]);

    const missing = await merchant.post(refundPath('sess_missing'), { full: 'true', confirmed: 'true' });
    expect(missing.status).toBe(200);
    expect(((await missing.json()) as ActionAnswer).notice).toMatchObject({ type: 'error' });
  });
});
