import { InvalidRequest, ProviderError, WebhookSignatureError } from '@paymux/payments';
import { ManualClock } from '@paymux/payments';
import { SANDBOX_CREDENTIALS, signCallback, SpayonSandbox, startSpayonSandbox } from '@paymux/spayon';
import { fromSpayonPrice } from './mapping';
import { SpayonPaymentProvider } from './spayon.provider';
import { unifiedProduct, unifiedRequest } from './unified-request.fixture';

describe('SpayonPaymentProvider', () => {
  let sandbox: SpayonSandbox;
  let clock: ManualClock;
  let provider: SpayonPaymentProvider;

  beforeEach(async () => {
    clock = new ManualClock();
    sandbox = await startSpayonSandbox({ clock, products: [{ id: 17, name: 'iPhone 16 Pro case', price: '5000.00', currency: 'AMD' }] });
    provider = build();
  });
  afterEach(() => sandbox.close());

  function build(options: { production?: boolean; timeoutMs?: number; clientSecret?: string } = {}): SpayonPaymentProvider {
    return new SpayonPaymentProvider({
      client: sandbox.client({ timeoutMs: options.timeoutMs, ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}) }),
      callbackSecret: SANDBOX_CREDENTIALS.callbackSecret,
      production: options.production ?? false,
      clock,
    });
  }

  const request = (overrides: Parameters<typeof unifiedRequest>[0] = {}) => unifiedRequest({ webhookUrl: sandbox.callbackUrl, ...overrides });

  it('declares what Spayon supports', () => {
    expect(provider.name).toBe('spayon');
    expect(provider.capabilities).toEqual({
      currencies: ['AMD', 'RUB', 'USD', 'EUR', 'GBP'],
      locales: ['en', 'hy', 'ru'],
      paymentMethods: ['visamaster', 'mir'],
      modes: ['payment'],
      expiry: { minSeconds: 900, maxSeconds: 900, defaultSeconds: 900 },
      cancel: false,
      refunds: false,
    });
  });

  describe('sessions end to end', () => {
    it('creates a marketplace-product session that expires in 900 s, then reports it open and, once paid, succeeded', async () => {
      const created = await provider.createSession(request({ product: unifiedProduct(), description: null }));
      expect(created.redirectUrl).toBe(`${sandbox.baseUrl}/session/${created.providerSessionId}`);
      expect(created.expiresAt).toEqual(new Date(clock.now().getTime() + 900_000));
      expect(sandbox.simulator.session(created.providerSessionId)).toMatchObject({ productName: 'iPhone 16 Pro case', price: '5000.00' });

      const ref = { id: 'sess_01JDTEST', providerSessionId: created.providerSessionId, amount: 500000, currency: 'AMD' };
      expect(await provider.fetchStatus(ref)).toEqual({
        providerSessionId: created.providerSessionId, status: 'open', providerStatus: 'pending', failure: null, amount: { amount: 500000, currency: 'AMD' },
      });
      sandbox.simulator.pay(created.providerSessionId);
      expect(await provider.fetchStatus(ref)).toMatchObject({ status: 'succeeded', providerStatus: 'paid' });
    });

    it('creates a custom-product session and reports a decline as failed', async () => {
      const created = await provider.createSession(request({ orderId: 'ORDER_7', locale: 'ru', paymentMethods: ['mir'] }));
      expect(sandbox.simulator.session(created.providerSessionId)).toMatchObject({
        productName: 'Custom Product',
        orderId: 'ORDER_7',
        language: 'ru',
        availablePaymentMethods: ['mir'],
      });
      sandbox.simulator.decline(created.providerSessionId, '51');
      const ref = { id: 'sess_01JDTEST', providerSessionId: created.providerSessionId, amount: 500000, currency: 'AMD' };
      // The status answer has no decline reasons; only the callback carries them.
      expect(await provider.fetchStatus(ref)).toMatchObject({ status: 'failed', failure: { code: 'failed', source: null } });
    });

    it('reports an expired session after its 15 minutes', async () => {
      const created = await provider.createSession(request());
      clock.advance(900_000);
      expect(await provider.fetchStatus({ id: 's', providerSessionId: created.providerSessionId, amount: null, currency: null })).toMatchObject({
        status: 'expired',
        providerStatus: 'expired',
      });
    });

    it.each([
      ['AMD', 123456, '1234.56'],
      ['RUB', 100000, '1000'],
      ['USD', 1050, '10.5'],
      ['EUR', 5, '0.05'],
      ['GBP', 99, '0.99'],
    ])('sends %s %i minor units as the exact major price and reads it back', async (currency, amount, price) => {
      const created = await provider.createSession(request({ amount, currency }));
      const session = sandbox.simulator.session(created.providerSessionId)!;
      expect(session).toMatchObject({ currency, price });
      expect(fromSpayonPrice(session.price, currency)).toBe(amount);
    });
  });

  describe('provider failures', () => {
    async function failure(promise: Promise<unknown>): Promise<ProviderError> {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      return error as ProviderError;
    }

    it('a Spayon 400 is a 502 provider error with Spayon’s code and message', async () => {
      const error = await failure(provider.createSession(request({ product: unifiedProduct({ providerProducts: { spayon: 999 } }) })));
      expect(error).toMatchObject({ httpStatus: 502, provider: 'spayon', code: 'http_400', message: 'product_id 999 is not a product of this vendor' });
    });

    it('bad credentials are a 502 provider error that does not reveal the secret', async () => {
      const error = await failure(build({ clientSecret: 'leaky-secret' }).createSession(request()));
      expect(error).toMatchObject({ httpStatus: 502, code: 'http_401' });
      expect(`${error.message} ${error.stack}`).not.toContain('leaky-secret');
    });

    it('a Spayon 500 is a 502 provider error', async () => {
      sandbox.simulator.faults.set({ errorRate: 1 });
      expect(await failure(provider.createSession(request()))).toMatchObject({ httpStatus: 502, code: 'provider_server_error', retryable: true });
    });

    it('no answer in time is a 504 and the create is sent only once', async () => {
      const impatient = build({ timeoutMs: 50 });
      await impatient.fetchStatus({ id: 's', providerSessionId: (await impatient.createSession(request())).providerSessionId, amount: null, currency: null });
      sandbox.simulator.faults.set({ timeoutRate: 1 });
      const error = await failure(impatient.createSession(request()));
      expect(error).toMatchObject({ httpStatus: 504, code: 'provider_timeout', timedOut: true, retryable: true });
      expect(sandbox.simulator.requests.createSession).toBe(2);
    });

    it('an unknown session is a 502 with Spayon’s 404', async () => {
      expect(await failure(provider.fetchStatus({ id: 's', providerSessionId: 'missing', amount: null, currency: null }))).toMatchObject({ code: 'http_404' });
    });
  });

  describe('validateRequest', () => {
    it.each([
      ['return_url', { returnUrl: 'http://shop.example/done' }],
      ['cancel_url', { cancelUrl: 'http://shop.example/cart' }],
      ['webhook_url', { webhookUrl: 'http://paymux.example/v1/webhooks/spayon' }],
    ])('in production requires https for %s', (param, change) => {
      const production = build({ production: true });
      expect(() => production.validateRequest(unifiedRequest(change))).toThrow(expect.objectContaining({ param }));
      expect(() => build().validateRequest(unifiedRequest(change))).not.toThrow();
    });

    it('accepts only the fixed 900 s expiry', () => {
      expect(() => provider.validateRequest(unifiedRequest({ expiresInSeconds: 600 }))).toThrow(expect.objectContaining({ param: 'expires_in_seconds' }));
    });

    it('refuses an amount Spayon cannot express exactly, without calling Spayon', async () => {
      await expect(provider.createSession(request({ amount: 9007199254740991, currency: 'USD' }))).rejects.toThrow(InvalidRequest);
      expect(sandbox.simulator.requests).toEqual({ tokens: 0, createSession: 0, getSession: 0 });
    });
  });

  describe('parseWebhook', () => {
    async function receivedCallback(act: (sessionId: string) => void) {
      const { providerSessionId } = await provider.createSession(request());
      act(providerSessionId);
      const [callback] = await sandbox.receiver.waitFor(1);
      return { providerSessionId, callback };
    }

    it('turns a signed paid callback into a succeeded report keyed on sessionId:status', async () => {
      const { providerSessionId, callback } = await receivedCallback((id) => sandbox.simulator.pay(id));
      expect(provider.parseWebhook(callback.rawBody, callback.headers)).toEqual({
        dedupeKey: `${providerSessionId}:paid`,
        eventType: 'paid',
        providerSessionId,
        paymuxSessionId: null,
        report: { providerSessionId, status: 'succeeded', providerStatus: 'paid', failure: null, amount: { amount: 500000, currency: 'AMD' } },
      });
    });

    it('turns a declined callback into a failed report with the last decline reason', async () => {
      const { callback } = await receivedCallback((id) => {
        sandbox.simulator.declineAttempt(id, '51');
        sandbox.simulator.decline(id, '1A');
      });
      expect(provider.parseWebhook(callback.rawBody, callback.headers).report).toMatchObject({
        status: 'failed',
        failure: { code: '1A', message: '3D-Secure authentication failed', source: 'CLIENT' },
      });
    });

    it('turns an expired callback into an expired report', async () => {
      const { callback } = await receivedCallback((id) => sandbox.simulator.expireNow(id));
      expect(provider.parseWebhook(callback.rawBody, callback.headers)).toMatchObject({ eventType: 'expired', report: { status: 'expired' } });
    });

    it('gives duplicate deliveries the same dedupe key', async () => {
      sandbox.simulator.faults.set({ duplicateCallbacks: true });
      await receivedCallback((id) => sandbox.simulator.pay(id));
      const [first, second] = await sandbox.receiver.waitFor(2);
      expect(provider.parseWebhook(first.rawBody, first.headers).dedupeKey).toBe(provider.parseWebhook(second.rawBody, second.headers).dedupeKey);
    });

    it('rejects a callback signed with a wrong key', async () => {
      sandbox.simulator.faults.set({ wrongSignature: true });
      const { callback } = await receivedCallback((id) => sandbox.simulator.pay(id));
      expect(() => provider.parseWebhook(callback.rawBody, callback.headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a callback with one byte of its body changed', async () => {
      const { callback } = await receivedCallback((id) => sandbox.simulator.pay(id));
      const tampered = Buffer.from(callback.rawBody);
      tampered[tampered.indexOf('paid')] = 'P'.charCodeAt(0);
      expect(() => provider.parseWebhook(tampered, callback.headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a callback without X-Signature', () => {
      expect(() => provider.parseWebhook(Buffer.from('{"sessionId":"s","status":"paid"}'), {})).toThrow(WebhookSignatureError);
    });

    const signed = (text: string) => {
      const rawBody = Buffer.from(text);
      return { rawBody, headers: { 'x-signature': signCallback(rawBody, SANDBOX_CREDENTIALS.callbackSecret) } };
    };

    it.each([
      ['not JSON', '{"sessionId":'],
      ['not an object', '["paid"]'],
      ['without sessionId', '{"status":"paid"}'],
      ['without status', '{"sessionId":"s1"}'],
    ])('answers a signed body %s with InvalidRequest', (_label, text) => {
      const { rawBody, headers } = signed(text);
      expect(() => provider.parseWebhook(rawBody, headers)).toThrow(InvalidRequest);
    });

    it('acknowledges a signed status it does not know without changing the session', () => {
      const { rawBody, headers } = signed('{"sessionId":"s1","status":"refunded"}');
      expect(provider.parseWebhook(rawBody, headers)).toMatchObject({ dedupeKey: 's1:refunded', eventType: 'refunded', report: null });
    });

    it('reads the X-Signature header in any case', () => {
      const { rawBody, headers } = signed('{"sessionId":"s1","status":"paid"}');
      expect(provider.parseWebhook(rawBody, { 'X-Signature': headers['x-signature'] }).report?.status).toBe('succeeded');
    });
  });
});
