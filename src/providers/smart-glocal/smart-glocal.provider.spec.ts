import axios from 'axios';
import { InvalidRequest, PaymuxError, ProviderError, SessionStatus, WebhookSignatureError } from '@paymux/payments';
import {
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
import { renderPayPage } from './pay-page';
import { SmartGlocalPaymentProvider } from './smart-glocal.provider';
import { CARD, unifiedRequest } from './unified-request.fixture';

const PAY_PAGE = 'https://paymux.example/pay/';

describe('SmartGlocalPaymentProvider against the simulator', () => {
  let sandbox: SmartGlocalSandbox;
  let provider: SmartGlocalPaymentProvider;

  function providerFor(box: SmartGlocalSandbox, allowCardData = true, client = box.client): SmartGlocalPaymentProvider {
    return new SmartGlocalPaymentProvider({
      client,
      smartGlocalPublicKeyPem: box.simulator.publicKeyPem,
      payPageUrl: (id) => `${PAY_PAGE}${id}`,
      allowCardData,
      clock: { now: () => new Date('2030-01-01T00:00:00Z') },
    });
  }

  async function restart(options: Parameters<typeof startSmartGlocalSandbox>[0]): Promise<void> {
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox(options);
    provider = providerFor(sandbox);
  }

  /** The notifications the simulator sent, parsed by the provider as paymux's webhook route would. */
  function webhooks() {
    return sandbox.sink.received.map((n) => provider.parseWebhook(n.rawBody, n.headers));
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
      idempotencyKeys: true,
    });
  });

  describe('hosted flow', () => {
    it('creates the session, serves a pay page with a widget token, and a widget payment comes back as succeeded', async () => {
      const created = await provider.createSession(unifiedRequest());
      expect(created).toEqual({
        providerSessionId: expect.stringMatching(/^ps_/),
        redirectUrl: `${PAY_PAGE}sess_01TEST`,
        expiresAt: new Date('2030-01-01T01:00:00Z'),
      });
      expect((await provider.fetchStatus({ id: 'sess_01TEST', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' })).status).toBe('open');

      const html = await provider.renderHostedPayPage({ providerSessionId: created.providerSessionId, returnUrl: 'https://shop.example/return', locale: 'ru' });
      expect(html).toContain(`<script src="${sandbox.baseUrl}/payment-form.js"></script>`);
      const token = /new window\.SmglPaymentForm\("([^"]+)"/.exec(html)![1];

      const paid = await fetch(`${sandbox.baseUrl}/widget/pay`, {
        method: 'POST',
        body: JSON.stringify({ public_token: token, card: { number: TEST_CARDS.succeeds, expiration_month: '01', expiration_year: '40', security_code: '111' } }),
      });
      expect(await paid.json()).toMatchObject({ status: 'ok', redirect_url: 'https://shop.example/return' });
      await sandbox.simulator.idle();

      const [webhook] = webhooks();
      expect(webhook).toMatchObject({
        eventType: 'payment_finished',
        providerSessionId: created.providerSessionId,
        paymuxSessionId: 'sess_01TEST',
        report: { status: 'succeeded', providerStatus: 'succeeded/succeeded', failure: null },
      });
      expect(webhook.dedupeKey).toMatch(new RegExp(`^${created.providerSessionId}:pm_[0-9a-f]+:succeeded$`));
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
    it('sends the buyer to 3-D Secure and reports succeeded when it passes', async () => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.requires3ds));
      expect(created.redirectUrl).toMatch(new RegExp(`^${sandbox.baseUrl}/3ds/pm_`));
      const ref = { id: 'sess_card', providerSessionId: created.providerSessionId, amount: 10000, currency: 'USD' };
      expect(await provider.fetchStatus(ref)).toMatchObject({ status: 'processing', providerStatus: 'in_progress/in_progress' });

      const back = await fetch(created.redirectUrl, { method: 'POST', body: new URLSearchParams({ result: 'pass' }), redirect: 'manual' });
      expect(back.headers.get('location')).toBe('https://shop.example/return');
      await sandbox.simulator.idle();
      expect(webhooks().map((w) => w.report!.status)).toEqual(['succeeded']);
      expect((await provider.fetchStatus(ref)).status).toBe('succeeded');
    });

    it('reports failed with the reason when 3-D Secure fails', async () => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.requires3ds));
      await fetch(created.redirectUrl, { method: 'POST', body: new URLSearchParams({ result: 'fail' }), redirect: 'manual' });
      await sandbox.simulator.idle();
      expect(webhooks()[0].report).toMatchObject({
        status: 'failed',
        failure: { code: 'three_d_secure_failed', message: 'The buyer did not pass 3-D Secure', source: 'smart_glocal' },
      });
    });

    it('returns the buyer to the shop when no 3-D Secure is needed, and reports a decline', async () => {
      const created = await provider.createSession(cardRequest(TEST_CARDS.declined));
      expect(created.redirectUrl).toBe('https://shop.example/return');
      await sandbox.simulator.idle();
      expect(webhooks()[0].report).toMatchObject({ status: 'failed', failure: { code: 'card_declined' } });
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
      await expect(provider.createSession(unifiedRequest())).rejects.toMatchObject({ code: 'http_500', httpStatus: 502, timedOut: false });
    });

    it('turns no answer in time into a 504 provider_error', async () => {
      await restart({ timeoutMs: 150 });
      sandbox.simulator.faults.set({ timeoutRate: 1 });
      await expect(provider.createSession(unifiedRequest())).rejects.toMatchObject({ code: 'timeout', httpStatus: 504, timedOut: true });
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
    function sessionWith(status: Session['status'], payments: Session['acquiring_payments']): Session {
      return { id: 'ps_9', status, created_at: '', updated_at: '', acquiring_payments: payments, metadata: { paymux_session_id: 'sess_9', paymux_order_id: 'O-9' } };
    }
    function paymentWith(status: 'in_progress' | 'succeeded' | 'failed', extra = {}) {
      return { id: 'pm_9', status, created_at: '', customer: { reference: 'u' }, payment_details: { type: 'card' as const, card: { brand: 'visa', last4: '4242' } }, amount_details: { amount: 1, currency: 'usd' }, ...extra };
    }
    function signed(notification: Notification | object, sign = (body: Buffer) => sandbox.simulator.signNotification(body)) {
      const rawBody = Buffer.from(JSON.stringify(notification));
      return { rawBody, headers: { [HEADERS.sign.toLowerCase()]: sign(rawBody) } };
    }

    it.each<[string, SessionStatus, Session]>([
      ['a session without payment', 'open', sessionWith('in_progress', [])],
      ['a payment in progress', 'processing', sessionWith('in_progress', [paymentWith('in_progress')])],
      ['a payment waiting for 3-D Secure', 'processing', sessionWith('in_progress', [paymentWith('in_progress', { customer_interaction: { type: 'redirect', redirect: { url: 'https://x/3ds' } } })])],
      ['a succeeded payment', 'succeeded', sessionWith('succeeded', [paymentWith('succeeded')])],
      ['a failed payment', 'failed', sessionWith('failed', [paymentWith('failed', { error: { code: 'insufficient_funds', description: 'No funds' } })])],
      ['a cancelled session', 'cancelled', sessionWith('cancelled', [])],
    ])('maps a notification for %s to %s', (_label, status, session) => {
      const { rawBody, headers } = signed({ type: 'payment_finished', session });
      const parsed = provider.parseWebhook(rawBody, headers);
      expect(parsed).toMatchObject({ eventType: 'payment_finished', providerSessionId: 'ps_9', paymuxSessionId: 'sess_9', report: { providerSessionId: 'ps_9', status } });
    });

    it('rejects a notification signed with another key', () => {
      const other = generateRsaKeyPair();
      const { rawBody, headers } = signed({ type: 'payment_finished', session: sessionWith('succeeded', []) }, (body) => signBody(body, other.privateKeyPem));
      expect(() => provider.parseWebhook(rawBody, headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a notification whose body was altered after signing', () => {
      const { rawBody, headers } = signed({ type: 'payment_finished', session: sessionWith('failed', []) });
      const altered = Buffer.from(rawBody.toString().replace('"failed"', '"succeeded"'));
      expect(() => provider.parseWebhook(altered, headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a notification without a signature', () => {
      const { rawBody } = signed({ type: 'payment_finished', session: sessionWith('succeeded', []) });
      expect(() => provider.parseWebhook(rawBody, {})).toThrow(WebhookSignatureError);
    });

    it.each([
      ['not JSON', Buffer.from('not json')],
      ['without a session', Buffer.from(JSON.stringify({ type: 'payment_finished' }))],
      ['with an unknown status', Buffer.from(JSON.stringify({ type: 'payment_finished', session: { id: 'ps_1', status: 'frozen', acquiring_payments: [] } }))],
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
  const html = renderPayPage({ widgetBaseUrl: 'https://widget-demo.smart-glocal.com/', publicToken: 'tok"</script><script>alert(1)</script>', returnUrl: 'https://shop.example/r?a=1&b="2"' });

  it("loads Smart Glocal's widget files from the widget host", () => {
    expect(html).toContain('<link rel="stylesheet" href="https://widget-demo.smart-glocal.com/payment-form.css">');
    expect(html).toContain('<script src="https://widget-demo.smart-glocal.com/payment-form.js"></script>');
  });

  it('initialises SmglPaymentForm with the token, which cannot break out of the script', () => {
    expect(html).toContain('new window.SmglPaymentForm("tok\\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('form.render();');
  });

  it('escapes the return URL', () => {
    expect(html).toContain('href="https://shop.example/r?a=1&amp;b=&quot;2&quot;"');
  });
});
