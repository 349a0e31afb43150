import axios from 'axios';
import { InvalidRequest, PaymuxError, ProviderError, SessionStatus, WebhookSignatureError } from '@paymux/payments';
import {
  AcquiringPayment,
  generateRsaKeyPair,
  HEADERS,
  Notification,
  Session,
  signBody,
  SmartGlocalClient,
  SmartGlocalKeyError,
  SmartGlocalSandbox,
  startSmartGlocalSandbox,
  TEST_CARDS,
} from '@paymux/smart-glocal';
import { renderOutcomePage, renderPayPage, renderThreeDsRedirect } from './pay-page';
import { SmartGlocalPaymentProvider } from './smart-glocal.provider';
import { CARD, unifiedRequest } from './unified-request.fixture';

const PAY_PAGE = 'https://paymux.example/pay/';
const BACK_URL = 'https://paymux.example/v1/return/sess_01TEST';

describe('SmartGlocalPaymentProvider against the simulator', () => {
  let sandbox: SmartGlocalSandbox;
  let provider: SmartGlocalPaymentProvider;

  function providerFor(box: SmartGlocalSandbox, allowCardData = true, client = box.client, autoConfirmation = false): SmartGlocalPaymentProvider {
    return new SmartGlocalPaymentProvider({
      client,
      smartGlocalPublicKeyPem: box.simulator.publicKeyPem,
      payPageUrl: (id) => `${PAY_PAGE}${id}`,
      allowCardData,
      autoConfirmation,
      clock: { now: () => new Date('2030-01-01T00:00:00Z') },
    });
  }

  /** Waits until the receiver holds `count` notifications, then parses them as the webhook route would. */
  async function webhooksAfter(count: number) {
    for (let i = 0; i < 200 && sandbox.receiver.received.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    await sandbox.simulator.idle();
    return webhooks();
  }

  /** What paymux's core does with a report that asks for a follow-up. */
  async function followUp(ref: { id: string; providerSessionId: string; amount: number; currency: string }, report: { followUp?: string | null } | null) {
    if (report?.followUp) await provider.runFollowUp(ref, report.followUp);
  }

  async function restart(options: Parameters<typeof startSmartGlocalSandbox>[0]): Promise<void> {
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox(options);
    provider = providerFor(sandbox);
  }

  /** The notifications the simulator sent, parsed by the provider as paymux's webhook route would. */
  function webhooks() {
    return sandbox.receiver.received.map((n) => provider.parseWebhook(n.rawBody, n.headers));
  }

  function cardRequest(number: string, sessionId = 'sess_card') {
    return unifiedRequest({ sessionId, providerOptions: { card: { ...CARD, number } } });
  }

  beforeEach(async () => {
    sandbox = await startSmartGlocalSandbox();
    provider = providerFor(sandbox);
  });
  afterEach(() => sandbox.close());

  it('declares what it supports', () => {
    expect(provider.name).toBe('smart_glocal');
    expect(provider.capabilities).toMatchObject({
      currencies: ['USD', 'EUR', 'GBP', 'RUB', 'AMD'],
      paymentMethods: ['card'],
      modes: ['payment'],
      cancel: true,
    });
  });

  describe('hosted flow', () => {
    it('creates the session, serves a pay page with a widget token; a widget payment asks for confirm, paymux confirms, and payment_finished is succeeded', async () => {
      const created = await provider.createSession(unifiedRequest());
      expect(created).toEqual({
        providerSessionId: expect.stringMatching(/^ps_/),
        redirectUrl: `${PAY_PAGE}sess_01TEST`,
        expiresAt: new Date('2030-01-01T01:00:00Z'),
      });
      const ref = { id: 'sess_01TEST', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      expect(await provider.fetchStatus(ref)).toEqual({ providerSessionId: created.providerSessionId, status: 'open', providerStatus: 'created', failure: null, amount: null, followUp: null });
      expect(sandbox.simulator.requestCount('session/status')).toBe(1);

      const html = await provider.renderHostedPayPage({ providerSessionId: created.providerSessionId, backUrl: BACK_URL, purchase: { amount: 10000, currency: 'USD', description: 'Case', merchant: 'shop.example' }, locale: 'ru' });
      expect(html).toContain(`<script src="${sandbox.baseUrl}/payment-form.js"></script>`);
      const token = /new window\.SmglPaymentForm\("([^"]+)"/.exec(html)![1];

      const paid = await fetch(`${sandbox.baseUrl}/widget/pay`, {
        method: 'POST',
        body: JSON.stringify({ public_token: token, card: { number: TEST_CARDS.succeeds, expiration_month: '01', expiration_year: '40', security_code: '111' } }),
      });
      // Back to paymux's pay page, which waits for the outcome and shows it.
      expect(await paid.json()).toMatchObject({ status: 'ok', redirect_url: `${PAY_PAGE}sess_01TEST` });

      const [ready] = await webhooksAfter(1);
      expect(ready).toMatchObject({
        eventType: 'ready_to_confirm',
        providerSessionId: created.providerSessionId,
        paymuxSessionId: 'sess_01TEST',
        report: { status: 'processing', providerStatus: 'in_progress/pending', followUp: 'confirm', amount: { amount: 10000, currency: 'USD' } },
      });
      await followUp(ref, ready.report);
      expect(sandbox.simulator.requestCount('session/confirm')).toBe(1);

      const [, finished] = await webhooksAfter(2);
      expect(finished).toMatchObject({
        eventType: 'payment_finished',
        paymuxSessionId: 'sess_01TEST',
        report: { status: 'succeeded', providerStatus: 'accepted/succeeded', failure: null, amount: { amount: 10000, currency: 'USD' }, followUp: null },
      });
      expect(finished.dedupeKey).toMatch(new RegExp(`^payment_finished:${created.providerSessionId}:accepted:pm_[0-9a-f]+:succeeded:$`));
      expect(finished.dedupeKey).not.toBe(ready.dedupeKey);
    });

    it('with automatic confirmation on the account never asks for a confirm', async () => {
      await sandbox.close();
      sandbox = await startSmartGlocalSandbox({ simulator: { autoConfirmation: true } });
      provider = providerFor(sandbox, true, sandbox.client, true);
      await provider.createSession(cardRequest(TEST_CARDS.succeeds));
      const parsed = await webhooksAfter(1);
      expect(parsed.map((w) => [w.eventType, w.report?.status, w.report?.followUp])).toEqual([['payment_finished', 'succeeded', null]]);
      expect(sandbox.simulator.requestCount('session/confirm')).toBe(0);
    });

    it('answers ready_to_capture with session/capture in full', async () => {
      sandbox.simulator.account.set({ delayedCapture: true });
      const created = await provider.createSession(cardRequest(TEST_CARDS.succeeds));
      const ref = { id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      await followUp(ref, (await webhooksAfter(1))[0].report);
      const [, hold] = await webhooksAfter(2);
      expect(hold).toMatchObject({ eventType: 'ready_to_capture', report: { status: 'processing', followUp: 'capture' } });
      await followUp(ref, hold.report);
      expect(sandbox.simulator.requestCount('session/capture')).toBe(1);
      expect((await webhooksAfter(3))[2].report).toMatchObject({ status: 'succeeded' });
    });

    it('a follow-up Smart Glocal no longer waits for is done (safe to repeat); a refused one throws', async () => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.succeeds));
      const ref = { id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      await webhooksAfter(1);
      sandbox.simulator.account.set({ refuseConfirms: 1 });
      await expect(provider.runFollowUp(ref, 'confirm')).rejects.toMatchObject({ provider: 'smart_glocal', code: 'internal_error' });
      expect((await provider.fetchStatus(ref)).followUp).toBe('confirm');
      await provider.runFollowUp(ref, 'confirm');
      await provider.runFollowUp(ref, 'confirm');
      expect(sandbox.simulator.requestCount('session/confirm')).toBe(2);
    });

    it.each<[SessionStatus, string]>([
      ['cancelled', 'cancelled'],
      ['expired', 'cancelled'],
      ['processing', 'accepted'],
    ])('a paymux session %s by then: Smart Glocal’s session ends %s', async (paymuxStatus, expected) => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.succeeds));
      const ref = { id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      await webhooksAfter(1);
      await provider.runFollowUp(ref, 'confirm', paymuxStatus);
      await sandbox.simulator.idle();
      expect(sandbox.simulator.getSession(created.providerSessionId).status).toBe(expected);
    });

    it.each([
      ['another amount', { chargedAmountOffset: 1 }],
      ['another currency', { chargedCurrency: 'eur' }],
    ])('cancels instead of confirming a payment for %s', async (_label, knobs) => {
      sandbox.simulator.account.set(knobs);
      const created = await provider.createSession(cardRequest(TEST_CARDS.succeeds));
      const ref = { id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      const [ready] = await webhooksAfter(1);
      expect(ready.report!.amount).not.toEqual({ amount: 10000, currency: 'USD' });
      await provider.runFollowUp(ref, ready.report!.followUp!);
      expect(sandbox.simulator.requestCount('session/confirm')).toBe(0);
      expect(sandbox.simulator.getSession(created.providerSessionId)).toMatchObject({ status: 'cancelled', acquiring_payments: [{ status: 'failed' }] });
    });

    it('sends one session to Smart Glocal however often the same paymux session is created', async () => {
      const first = await provider.createSession(unifiedRequest());
      const retry = await provider.createSession(unifiedRequest());
      expect(retry.providerSessionId).toBe(first.providerSessionId);
      expect(sandbox.simulator.sessionCount()).toBe(1);
      expect(sandbox.simulator.requestCount('session/create')).toBe(2);
    });

    it('cancels at Smart Glocal', async () => {
      const created = await provider.createSession(unifiedRequest());
      const ref = { id: 'sess_01TEST', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      await provider.cancelSession(ref);
      expect((await provider.fetchStatus(ref)).status).toBe('cancelled');
    });
  });

  describe('server-to-server with card data', () => {
    it('sends the buyer to paymux’s page, which hands over to 3-D Secure once Smart Glocal asks (after confirm), and reports succeeded when it passes', async () => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.requires3ds));
      expect(created.redirectUrl).toBe(`${PAY_PAGE}sess_card`);
      const ref = { id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      const [ready] = await webhooksAfter(1);
      const page = () => provider.renderHostedPayPage({ providerSessionId: created.providerSessionId, backUrl: BACK_URL, purchase: { amount: 10000, currency: 'USD', description: 'Case', merchant: 'shop.example' } });
      expect(await page()).toContain('http-equiv="refresh" content="2"');
      await followUp(ref, ready.report);
      const [, action] = await webhooksAfter(2);
      expect(action).toMatchObject({ eventType: 'action_required', report: { status: 'processing', providerStatus: 'in_progress/pending', followUp: null } });

      const html = await page();
      const action3ds = /<form id="three-ds" method="post" action="([^"]+)">/.exec(html)![1].replace(/&amp;/g, '&');
      expect(action3ds).toMatch(new RegExp(`^${sandbox.baseUrl}/3ds/pm_[0-9a-f]+\\?session=${created.providerSessionId}$`));
      expect(html).toMatch(/<input type="hidden" name="PaReq" value="[^"]+">/);
      expect(html).toMatch(/<input type="hidden" name="MD" value="pm_[0-9a-f]+">/);
      expect(html).toContain("document.getElementById('three-ds').submit();");

      const back = await fetch(action3ds, { method: 'POST', body: new URLSearchParams({ result: 'pass' }), redirect: 'manual' });
      expect(back.headers.get('location')).toBe(`${PAY_PAGE}sess_card`);
      const all = await webhooksAfter(3);
      expect(all.map((w) => w.report!.status)).toEqual(['processing', 'processing', 'succeeded']);
      expect((await provider.fetchStatus(ref)).status).toBe('succeeded');
      expect(await page()).toContain(`url=${BACK_URL}`);
    });

    it('reports failed with the reason when 3-D Secure fails', async () => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.requires3ds));
      const ref = { id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      await followUp(ref, (await webhooksAfter(1))[0].report);
      const payment = (await webhooksAfter(2))[1];
      sandbox.simulator.complete3ds(sandbox.simulator.getSession(created.providerSessionId).acquiring_payments[0].id, false);
      expect(payment.eventType).toBe('action_required');
      expect((await webhooksAfter(3))[2].report).toMatchObject({
        status: 'failed',
        providerStatus: 'cancelled/failed',
        failure: { code: 'three_d_secure_failed', message: 'The buyer did not pass 3-D Secure', source: 'smart_glocal' },
      });
    });

    it('reports a decline after confirmation', async () => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.declined));
      await followUp({ id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' }, (await webhooksAfter(1))[0].report);
      expect((await webhooksAfter(2))[1].report).toMatchObject({ status: 'failed', failure: { code: 'card_declined' } });
      // The buyer coming back to the pay page is told, with the reason, and offered the way back.
      const html = await provider.renderHostedPayPage({ providerSessionId: created.providerSessionId, backUrl: BACK_URL, purchase: { amount: 10000, currency: 'USD', description: 'Case', merchant: 'shop.example' } });
      expect(html).toContain('<h1>Payment declined</h1><p>The card was declined by the issuer</p>');
      expect(html).toContain('<p class="amount">$100.00</p>');
      expect(html).toContain(`<a class="button" href="${BACK_URL}">Back to the shop</a>`);
      expect(html).not.toContain('http-equiv="refresh"');
    });

    it('refuses card data unless the operator allowed it, without echoing it', async () => {
      provider = providerFor(sandbox, false);
      const error = await provider.createSession(cardRequest(TEST_CARDS.succeeds)).then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as PaymuxError);
      expect(error).toBeInstanceOf(InvalidRequest);
      expect(error).toMatchObject({ param: 'payment_details' });
      expectNoCardData(error);
      expect(sandbox.simulator.sessionCount()).toBe(0);
    });

    it('keeps card data out of a provider error about the card', async () => {
      const badLuhn = '4242424242424241';
      const error = await provider.createSession(cardRequest(badLuhn)).then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as PaymuxError);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code: 'invalid_card', httpStatus: 502 });
      expectNoCardData(error, badLuhn);
    });

    it('redacts card data even when Smart Glocal echoes it', async () => {
      const http = axios.create({
        adapter: async (config) => ({
          status: 400,
          statusText: 'Bad Request',
          headers: {},
          config,
          data: Buffer.from(JSON.stringify({ status: 'error', error: { code: 'invalid_card', description: `card ${TEST_CARDS.succeeds} cvc ${CARD.security_code} refused` } })),
        }),
      });
      const client = new SmartGlocalClient({ baseUrl: sandbox.baseUrl, project: sandbox.project, privateKeyPem: sandbox.merchantKeys.privateKeyPem, http });
      provider = providerFor(sandbox, true, client);
      const error = await provider.createSession(cardRequest(TEST_CARDS.succeeds)).then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as PaymuxError);
      expect(error).toMatchObject({ code: 'invalid_card' });
      expectNoCardData(error);
    });

    function expectNoCardData(error: PaymuxError, pan: string = TEST_CARDS.succeeds): void {
      const text = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
      expect(text).not.toContain(pan);
      expect(text).not.toContain(pan.slice(0, 8));
      expect(text).not.toContain(CARD.security_code);
    }
  });

  describe('errors', () => {
    it("turns Smart Glocal's error envelope into a provider_error with its code", async () => {
      await restart({ simulator: { currencies: ['usd'] } });
      const error = await provider.createSession(unifiedRequest({ currency: 'EUR' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: 'smart_glocal', code: 'unsupported_currency', httpStatus: 502 });
    });

    it('turns an HTTP 500 into a 502 provider_error', async () => {
      sandbox.simulator.faults.set({ errorRate: 1 });
      await expect(provider.createSession(unifiedRequest())).rejects.toMatchObject({ code: 'provider_server_error', httpStatus: 502, timedOut: false, retryable: true });
    });

    it('turns no answer in time into a 504 provider_error', async () => {
      await restart({ timeoutMs: 150 });
      sandbox.simulator.faults.set({ timeoutRate: 1 });
      await expect(provider.createSession(unifiedRequest())).rejects.toMatchObject({ code: 'provider_timeout', httpStatus: 504, timedOut: true, retryable: true });
    });

    it.each([
      ['no customer', { customer: null }, 'customer'],
      ['customer mode', { mode: 'customer' as const }, 'mode'],
      ['an unsupported locale', { locale: 'hy' }, 'locale'],
      ['a method it does not offer', { paymentMethods: ['konbini'] }, 'payment_methods'],
      ['an unsupported currency', { currency: 'JPY' }, 'currency'],
    ])('refuses %s before calling Smart Glocal', async (_label, overrides, param) => {
      expect(() => provider.validateRequest(unifiedRequest(overrides))).toThrow(InvalidRequest);
      await expect(provider.createSession(unifiedRequest(overrides))).rejects.toMatchObject({ param });
      expect(sandbox.simulator.requestCount('session/create')).toBe(0);
    });

    it("stops at start with a clear message on a bad Smart Glocal public key", () => {
      const build = () => new SmartGlocalPaymentProvider({ client: sandbox.client, smartGlocalPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----', payPageUrl: (id) => id, allowCardData: false });
      expect(build).toThrow(SmartGlocalKeyError);
      expect(build).toThrow(/^SMART_GLOCAL_PUBLIC_KEY is not a valid PEM-encoded public key/);
    });
  });

  describe('notifications', () => {
    function sessionWith(status: Session['status'], payments: Session['acquiring_payments'], extra: Partial<Session> = {}): Session {
      return { id: 'ps_9', status, created_at: '', updated_at: '', acquiring_payments: payments, ...extra };
    }
    function paymentWith(status: AcquiringPayment['status'], extra = {}): AcquiringPayment {
      return {
        id: 'pm_9', status, created_at: '', customer: { reference: 'u' }, payment_details: { type: 'card' as const, card: { brand: 'visa', last4: '4242' } },
        amount_details: { amount: 1, currency: 'usd' }, metadata: { paymux_session_id: 'sess_9', paymux_order_id: 'O-9' }, ...extra,
      };
    }
    function signed(notification: Notification | object, sign = (body: Buffer) => sandbox.simulator.signNotification(body)) {
      const rawBody = Buffer.from(JSON.stringify(notification));
      return { rawBody, headers: { [HEADERS.sign.toLowerCase()]: sign(rawBody) } };
    }

    it.each<[string, string, SessionStatus, string | null, Session]>([
      ['ready_to_confirm', 'ready_to_confirm', 'processing', 'confirm', sessionWith('in_progress', [paymentWith('pending')], { next_action: 'confirm' })],
      ['action_required (3-D Secure)', 'action_required', 'processing', null, sessionWith('in_progress', [paymentWith('pending', { customer_interaction: { type: 'redirect', redirect: { url: 'https://x/3ds' } } })])],
      ['ready_to_capture', 'ready_to_capture', 'processing', 'capture', sessionWith('in_progress', [paymentWith('pending')], { next_action: 'capture' })],
      ['payment_finished, accepted', 'payment_finished', 'succeeded', null, sessionWith('accepted', [paymentWith('succeeded')])],
      ['payment_finished, cancelled + failed', 'payment_finished', 'failed', null, sessionWith('cancelled', [paymentWith('failed', { error: { code: 'insufficient_funds', description: 'No funds' } })])],
      ['payment_finished, error (not final)', 'payment_finished', 'processing', null, sessionWith('error', [paymentWith('failed')])],
      ['payment_refunded', 'payment_refunded', 'succeeded', null, sessionWith('accepted', [paymentWith('succeeded', { refunds: [{ id: 'rf_1', status: 'accepted' }] })])],
      ['a merchant cancel without payment', 'payment_finished', 'cancelled', null, sessionWith('cancelled', [])],
    ])('maps %s', (_label, type, status, followUpCall, session) => {
      const { rawBody, headers } = signed({ type, session });
      const parsed = provider.parseWebhook(rawBody, headers);
      expect(parsed).toMatchObject({ eventType: type, providerSessionId: 'ps_9', report: { providerSessionId: 'ps_9', status, followUp: followUpCall } });
      if (session.acquiring_payments.length > 0) {
        expect(parsed.paymuxSessionId).toBe('sess_9');
        expect(parsed.report!.amount).toEqual({ amount: 1, currency: 'USD' });
      }
      if (status === 'failed') expect(parsed.report!.failure).toEqual({ code: 'insufficient_funds', message: 'No funds', source: 'smart_glocal' });
    });

    it('does not read metadata from the session object', () => {
      const { rawBody, headers } = signed({ type: 'payment_finished', session: { ...sessionWith('cancelled', []), metadata: { paymux_session_id: 'sess_9' } } });
      expect(provider.parseWebhook(rawBody, headers).paymuxSessionId).toBeNull();
    });

    it.each([
      ['an unknown type', { type: 'payout_finished', session: sessionWith('accepted', [paymentWith('succeeded')]) }],
      ['an unknown session status', { type: 'payment_finished', session: { ...sessionWith('accepted', []), status: 'frozen' } }],
      ['an unknown payment status', { type: 'payment_finished', session: sessionWith('accepted', [paymentWith('weird' as AcquiringPayment['status'])]) }],
    ])('takes a signed notification with %s without a report: it changes nothing and is not refused', (_label, body) => {
      const { rawBody, headers } = signed(body);
      const parsed = provider.parseWebhook(rawBody, headers);
      expect(parsed).toMatchObject({ eventType: body.type, providerSessionId: 'ps_9', report: null });
      expect(parsed.dedupeKey).toContain(body.type);
    });

    it('rejects a notification signed with another key', () => {
      const other = generateRsaKeyPair();
      const { rawBody, headers } = signed({ type: 'payment_finished', session: sessionWith('accepted', []) }, (body) => signBody(body, other.privateKeyPem));
      expect(() => provider.parseWebhook(rawBody, headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a notification whose body was altered after signing', () => {
      const { rawBody, headers } = signed({ type: 'payment_finished', session: sessionWith('cancelled', [paymentWith('failed')]) });
      const altered = Buffer.from(rawBody.toString().replace('"failed"', '"succeeded"'));
      expect(() => provider.parseWebhook(altered, headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a notification without a signature', () => {
      const { rawBody } = signed({ type: 'payment_finished', session: sessionWith('accepted', []) });
      expect(() => provider.parseWebhook(rawBody, {})).toThrow(WebhookSignatureError);
    });

    it.each([
      ['not JSON', Buffer.from('not json')],
      ['without a session', Buffer.from(JSON.stringify({ type: 'payment_finished' }))],
    ])('answers a signed notification %s with InvalidRequest', (_label, rawBody) => {
      const headers = { [HEADERS.sign.toLowerCase()]: sandbox.simulator.signNotification(rawBody) };
      expect(() => provider.parseWebhook(rawBody, headers)).toThrow(InvalidRequest);
    });

    it("rejects the simulator's wrong-signature knob", async () => {
      sandbox.simulator.faults.set({ wrongSignature: true });
      const created = await provider.createSession(unifiedRequest());
      sandbox.simulator.pay(created.providerSessionId);
      await sandbox.simulator.idle();
      expect(() => webhooks()).toThrow(WebhookSignatureError);
    });
  });
});

describe('renderPayPage', () => {
  const html = renderPayPage({
    widgetBaseUrl: 'https://widget-demo.smart-glocal.com/',
    publicToken: 'tok"</script><script>alert(1)</script>',
    backUrl: 'https://shop.example/r?a=1&b="2"',
    purchase: { amount: 500000, currency: 'AMD', description: 'Case <b>', merchant: 'shop.example' },
  });

  it("loads Smart Glocal's widget files from the widget host", () => {
    expect(html).toContain('<link rel="stylesheet" href="https://widget-demo.smart-glocal.com/payment-form.css">');
    expect(html).toContain('<script src="https://widget-demo.smart-glocal.com/payment-form.js"></script>');
  });

  it('initialises SmglPaymentForm with the token, which cannot break out of the script', () => {
    expect(html).toContain('new window.SmglPaymentForm("tok\\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('form.render();');
  });

  it('escapes the way back', () => {
    expect(html).toContain('href="https://shop.example/r?a=1&amp;b=&quot;2&quot;"');
  });

  it('shows who is paid, how much as money in the currency, and what for (escaped)', () => {
    expect(html).toContain('<p class="merchant">Pay shop.example</p>');
    expect(html).toContain('<p class="amount">5,000.00 AMD</p>');
    expect(html).toContain('<p class="description">Case &lt;b&gt;</p>');
  });
});

describe('renderOutcomePage', () => {
  const purchase = { amount: 5000, currency: 'JPY', description: null, merchant: 'shop.example' };
  const backUrl = 'https://paymux.example/v1/return/sess_01TEST';

  it('tells a decline with its reason (escaped), that nothing was taken, and the way back', () => {
    const html = renderOutcomePage({ outcome: 'declined', reason: 'Declined <by> issuer', backUrl, purchase });
    expect(html).toContain('<h1>Payment declined</h1><p>Declined &lt;by&gt; issuer</p><p>No money was taken.');
    expect(html).toContain('<p class="amount">¥5,000</p>');
    expect(html).toContain(`<a class="button" href="${backUrl}">Back to the shop</a>`);
  });

  it('never says nothing was taken when the provider reported another amount', () => {
    const html = renderOutcomePage({ outcome: 'unsettled', reason: 'amount mismatch', backUrl, purchase });
    expect(html).toContain('<h1>Payment not completed</h1>');
    expect(html).not.toContain('No money was taken');
    expect(html).not.toContain('amount mismatch');
  });
});

describe('renderThreeDsRedirect', () => {
  it('posts every params entry as a hidden field to url (which carries qs), escaped, and submits itself', () => {
    const html = renderThreeDsRedirect({ url: 'https://acs.example/pareq?foo=bar&x="1"', method: 'POST', params: { PaReq: 'a"b<c', MD: 'pm_1' } });
    expect(html).toContain('<form id="three-ds" method="post" action="https://acs.example/pareq?foo=bar&amp;x=&quot;1&quot;">');
    expect(html).toContain('<input type="hidden" name="PaReq" value="a&quot;b&lt;c">');
    expect(html).toContain('<input type="hidden" name="MD" value="pm_1">');
    expect(html).toContain("document.getElementById('three-ds').submit();");
  });

  it('uses GET when the redirect says so', () => {
    expect(renderThreeDsRedirect({ url: 'https://acs.example/', method: 'get' })).toContain('method="get"');
  });
});
