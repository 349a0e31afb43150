import { InvalidRequest, ProviderError, providerFailure, UnifiedSessionRequest, WebhookSignatureError } from '@paymux/payments';
import { KomojuApiError, KomojuSandbox, signWebhook } from '@paymux/komoju';
import type { ReceivedCallback } from '@paymux/simulator-kit';
import { classifyKomojuFailure, KomojuPaymentProvider } from './komoju.provider';
import { unifiedCustomer, unifiedRequest } from './komoju.fixtures';

describe('KomojuPaymentProvider against the simulator over HTTP', () => {
  let sandbox: KomojuSandbox;
  let provider: KomojuPaymentProvider;
  let counter = 0;

  const request = (overrides: Partial<UnifiedSessionRequest> = {}) => unifiedRequest({ sessionId: `sess_${++counter}`, ...overrides });
  const ref = (providerSessionId: string) => ({ id: 'sess_x', providerSessionId, currency: 'JPY', amount: 1000 });
  const parse = (hook: ReceivedCallback) => provider.parseWebhook(hook.rawBody, hook.headers);
  const parsedOfType = (type: string) => sandbox.webhooksOfType(type).map(parse);

  beforeAll(async () => {
    sandbox = await KomojuSandbox.start();
    provider = new KomojuPaymentProvider({ client: sandbox.client, webhookSecret: sandbox.webhookSecret, clock: sandbox.clock });
  });
  afterEach(async () => {
    await sandbox.settle();
    sandbox.simulator.faults.reset();
    sandbox.receiver.clear();
  });
  afterAll(() => sandbox.close());

  it('declares what KOMOJU offers', () => {
    expect(provider.name).toBe('komoju');
    expect(provider.capabilities).toMatchObject({
      currencies: expect.arrayContaining(['JPY', 'USD', 'EUR', 'KRW', 'TWD']),
      locales: ['ja', 'en', 'ko'],
      modes: ['payment', 'customer', 'customer_payment'],
      expiry: { minSeconds: 1, maxSeconds: 86400, defaultSeconds: 86400 },
      cancel: true,
    });
  });

  it.each([
    ['JPY', 1000, '¥1,000'],
    ['USD', 1050, '$10.50'],
  ])('a %s konbini session: create, reserve on the hosted page (processing), pay at the store (succeeded), with the amount reported', async (currency, amount, shown) => {
    const unified = request({ currency, amount, description: 'Order', buyerReturnUrl: 'https://paymux.example/v1/return/sess_01JDKOMOJU?x=1' });
    const created = await provider.createSession(unified);
    expect(created.redirectUrl).toMatch(new RegExp(`/sessions/${created.providerSessionId}$`));
    expect(created.expiresAt.toISOString()).toBe(new Date(sandbox.clock.now().getTime() + 86_400_000).toISOString());
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'open', providerStatus: 'session pending' });

    expect(await (await fetch(created.redirectUrl)).text()).toContain(shown);
    const outcome = await sandbox.customerActs(created.redirectUrl, 'pay', 'konbini');
    const back = new URL(outcome.location!);
    expect(back.searchParams.get('session_id')).toBe(created.providerSessionId);
    expect(back.searchParams.get('x')).toBe('1');

    await sandbox.settle();
    expect(parsedOfType('payment.authorized')[0].report).toMatchObject({ status: 'processing', amount: { amount, currency } });
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'processing', providerStatus: 'payment authorized' });
    sandbox.simulator.payAtStore(created.providerSessionId);
    await sandbox.settle();
    const [update] = parsedOfType('payment.captured');
    expect(update).toMatchObject({
      eventType: 'payment.captured',
      providerSessionId: created.providerSessionId,
      paymuxSessionId: unified.sessionId,
      report: { status: 'succeeded', providerSessionId: created.providerSessionId, amount: { amount, currency } },
    });
    // The event's body id, not the delivery's X-Komoju-ID.
    const body = JSON.parse(sandbox.webhooksOfType('payment.captured')[0].rawBody.toString('utf8')) as { id: string };
    expect(update.dedupeKey).toBe(body.id);
    const shownSession = sandbox.simulator.session(created.providerSessionId);
    expect(shownSession).toMatchObject({ amount, currency, payment: { amount, currency } });
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'succeeded' });
  });

  it('a customer session saves payment details and reports the KOMOJU customer', async () => {
    const unified = request({ mode: 'customer', amount: null, currency: null, customer: unifiedCustomer() });
    const created = await provider.createSession(unified);
    expect(await (await fetch(created.redirectUrl)).text()).toContain('Save your payment details');
    const customerId = sandbox.simulator.session(created.providerSessionId).customer_id;
    expect(customerId).toEqual(expect.any(String));
    expect(created.providerCustomerId).toBe(customerId);
    await sandbox.customerActs(created.redirectUrl, 'pay', 'credit_card');
    await sandbox.settle();
    for (const type of ['customer.created', 'customer.updated']) {
      expect(parsedOfType(type)[0]).toMatchObject({ providerSessionId: null, paymuxSessionId: null, providerCustomerId: customerId, report: null, confirmWithProvider: true });
    }
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'succeeded', providerCustomerId: customerId });
  });

  it('a customer_payment session for a known KOMOJU customer charges and updates that customer', async () => {
    const first = await provider.createSession(request({ mode: 'customer', amount: null, currency: null, customer: unifiedCustomer() }));
    sandbox.simulator.pay(first.providerSessionId);
    const komojuCustomer = sandbox.simulator.session(first.providerSessionId).customer_id!;
    await sandbox.settle();
    sandbox.receiver.clear();

    const unified = request({ mode: 'customer_payment', customer: unifiedCustomer({ providerCustomers: { komoju: komojuCustomer } }) });
    const created = await provider.createSession(unified);
    await sandbox.customerActs(created.redirectUrl, 'pay');
    await sandbox.settle();
    expect(created.providerCustomerId).toBe(komojuCustomer);
    expect(sandbox.receiver.received.map((hook) => hook.headers['x-komoju-event'])).toEqual(['customer.updated', 'payment.captured']);
    expect(parsedOfType('customer.updated')[0]).toMatchObject({ providerCustomerId: komojuCustomer, confirmWithProvider: true });
    expect(parsedOfType('payment.captured')[0]).toMatchObject({ paymuxSessionId: unified.sessionId, report: { status: 'succeeded', providerCustomerId: komojuCustomer } });
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'succeeded', providerCustomerId: komojuCustomer });
  });

  it('cancels at KOMOJU, and payment.cancelled of a reservation maps to cancelled', async () => {
    const created = await provider.createSession(request());
    await provider.cancelSession(ref(created.providerSessionId));
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'cancelled' });
    const reserved = await provider.createSession(request());
    sandbox.simulator.pay(reserved.providerSessionId, 'konbini');
    sandbox.simulator.cancelPayment(reserved.providerSessionId);
    await sandbox.settle();
    expect(parsedOfType('payment.cancelled')[0].report).toMatchObject({ status: 'cancelled' });
  });

  it('cannot cancel a completed session: KOMOJU\'s code comes back as a 502 ProviderError', async () => {
    const created = await provider.createSession(request());
    sandbox.simulator.pay(created.providerSessionId);
    const error = await provider.cancelSession(ref(created.providerSessionId)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'komoju', code: 'unprocessable_entity', httpStatus: 502 });
  });

  it('a failed attempt keeps the session open until it is over, then it is failed', async () => {
    const created = await provider.createSession(request({ expiresInSeconds: 120 }));
    await sandbox.customerActs(created.redirectUrl, 'fail');
    await sandbox.settle();
    expect(parsedOfType('payment.failed')[0].report).toMatchObject({ status: 'open', failure: null });
    sandbox.clock.advance(119_000);
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'open' });
    sandbox.clock.advance(1_000);
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({
      status: 'failed', failure: { code: 'payment_failed', source: 'komoju' },
    });
  });

  it('a session nobody tried to pay is expired (pending, expired: true) once past expires_in_seconds', async () => {
    const created = await provider.createSession(request({ expiresInSeconds: 60 }));
    expect(created.expiresAt.getTime()).toBe(sandbox.clock.now().getTime() + 60_000);
    sandbox.clock.advance(60_000);
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'expired', providerStatus: 'session pending, expired' });
  });

  it('payment.expired of a konbini reservation maps to expired', async () => {
    const created = await provider.createSession(request());
    sandbox.simulator.pay(created.providerSessionId, 'konbini');
    sandbox.simulator.expireNow(created.providerSessionId);
    await sandbox.settle();
    expect(parsedOfType('payment.expired')[0].report).toMatchObject({ status: 'expired' });
    expect(await provider.fetchStatus(ref(created.providerSessionId))).toMatchObject({ status: 'expired' });
  });

  it('payment.authorized (manual capture) is processing: a hold, not money received', async () => {
    const manual = await KomojuSandbox.start({ capture: 'manual' });
    try {
      const manualProvider = new KomojuPaymentProvider({ client: manual.client, webhookSecret: manual.webhookSecret, clock: manual.clock });
      const created = await manualProvider.createSession(request());
      await manual.customerActs(created.redirectUrl, 'pay', 'credit_card');
      await manual.settle();
      const [hook] = manual.webhooksOfType('payment.authorized');
      expect(manualProvider.parseWebhook(hook.rawBody, hook.headers).report).toMatchObject({ status: 'processing', providerStatus: 'payment authorized' });
    } finally {
      await manual.close();
    }
  });

  it('a ping (sent when the webhook is configured) changes nothing', async () => {
    sandbox.simulator.configureWebhook(sandbox.receiver.url);
    await sandbox.settle();
    const [ping] = parsedOfType('ping');
    expect(ping).toMatchObject({ eventType: 'ping', report: null, providerSessionId: null, paymuxSessionId: null });
  });

  it('passes the idempotency key through: the same key twice makes one KOMOJU session', async () => {
    const before = sandbox.simulator.sessionCount;
    const unified = request({ idempotencyKey: 'idem-1' });
    const first = await provider.createSession(unified);
    const second = await provider.createSession(unified);
    expect(second.providerSessionId).toBe(first.providerSessionId);
    expect(sandbox.simulator.sessionCount).toBe(before + 1);
  });

  it.each<[string, Partial<UnifiedSessionRequest>, string]>([
    ['customer mode with an amount', { mode: 'customer', amount: 1000, customer: unifiedCustomer() }, 'amount'],
    ['customer_payment without a customer', { mode: 'customer_payment' }, 'customer'],
    ['metadata over KOMOJU\'s key limit', { metadata: { ['k'.repeat(31)]: 'v' } }, 'metadata'],
    ['metadata over KOMOJU\'s value limit', { metadata: { k: 'v'.repeat(2001) } }, 'metadata'],
    ['an unknown payment type', { paymentMethods: ['cash'] }, 'payment_methods'],
    ['an unknown locale', { locale: 'de' }, 'locale'],
    ['a currency KOMOJU does not take', { currency: 'GBP' }, 'currency'],
    ['expiry over 86400 s', { expiresInSeconds: 86_401 }, 'expires_in_seconds'],
    ['expiry under 1 s', { expiresInSeconds: 0 }, 'expires_in_seconds'],
  ])('rejects %s (param %s) without calling KOMOJU', async (_, overrides, param) => {
    const before = sandbox.simulator.requestCount();
    expect(() => provider.validateRequest(request(overrides))).toThrow(expect.objectContaining({ param }));
    const error = await provider.createSession(request(overrides)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequest);
    expect(error).toMatchObject({ param, httpStatus: 400 });
    expect(sandbox.simulator.requestCount()).toBe(before);
  });

  it('a wrong secret key is KOMOJU\'s unauthorized as a 502, without the key in the message', async () => {
    const wrong = new KomojuPaymentProvider({ client: sandbox.clientWith('sk_test_not_this_one'), webhookSecret: sandbox.webhookSecret });
    const error = await wrong.createSession(request()).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'komoju', code: 'unauthorized', httpStatus: 502 });
    expect((error as Error).message).not.toContain('sk_test_not_this_one');
  });

  it('an unknown session is KOMOJU\'s not_found as a 502', async () => {
    await expect(provider.fetchStatus(ref('nope'))).rejects.toMatchObject({ code: 'not_found', httpStatus: 502 });
  });

  it('the 500 knob is a 502 and the timeout knob a 504', async () => {
    sandbox.simulator.faults.set({ errorRate: 1 });
    await expect(provider.createSession(request())).rejects.toMatchObject({ provider: 'komoju', httpStatus: 502 });
    sandbox.simulator.faults.set({ errorRate: 0, timeoutRate: 1 });
    const error = await provider.fetchStatus(ref('any')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'provider_timeout', httpStatus: 504, timedOut: true, retryable: true });
  });

  describe('webhook verification', () => {
    let hook: ReceivedCallback;

    beforeAll(async () => {
      const created = await provider.createSession(request());
      sandbox.simulator.pay(created.providerSessionId);
      await sandbox.settle();
      hook = sandbox.webhooksOfType('payment.captured')[0];
    });

    it('rejects a body signed with another secret', () => {
      const headers = { ...hook.headers, 'x-komoju-signature': signWebhook(hook.rawBody, 'not-the-secret') };
      expect(() => provider.parseWebhook(hook.rawBody, headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a body with one byte altered', () => {
      const altered = Buffer.from(hook.rawBody);
      altered[altered.length - 2] ^= 1;
      expect(() => provider.parseWebhook(altered, hook.headers)).toThrow(WebhookSignatureError);
    });

    it('rejects a missing signature', () => {
      const { 'x-komoju-signature': _, ...headers } = hook.headers;
      expect(() => provider.parseWebhook(hook.rawBody, headers)).toThrow(WebhookSignatureError);
    });

    it('rejects the simulator\'s wrong-signature knob', async () => {
      sandbox.simulator.faults.set({ wrongSignature: true });
      const created = await provider.createSession(request());
      sandbox.simulator.pay(created.providerSessionId);
      await sandbox.settle();
      const [forged] = sandbox.webhooksOfType('payment.captured').filter((h) => h !== hook);
      expect(() => parse(forged)).toThrow(WebhookSignatureError);
    });

    it.each([
      ['not JSON', 'not json'],
      ['an envelope without type', JSON.stringify({ id: 'e1', data: {} })],
      ['a payment event without data', JSON.stringify({ id: 'e1', type: 'payment.captured', resource: 'event' })],
    ])('answers a correctly signed but malformed body (%s) with InvalidRequest', (_, text) => {
      const body = Buffer.from(text);
      expect(() => provider.parseWebhook(body, { 'x-komoju-signature': signWebhook(body, sandbox.webhookSecret), 'x-komoju-id': 'd1' })).toThrow(InvalidRequest);
    });

    it('gives both copies of a duplicated delivery the same dedupeKey', async () => {
      sandbox.receiver.clear();
      sandbox.simulator.faults.set({ duplicateCallbacks: true });
      const created = await provider.createSession(request());
      sandbox.simulator.pay(created.providerSessionId);
      await sandbox.settle();
      const copies = parsedOfType('payment.captured');
      expect(copies).toHaveLength(2);
      expect(copies[0].dedupeKey).toBe(copies[1].dedupeKey);
      expect(copies[0].report).toEqual(copies[1].report);
    });
  });

  it.each<[string, KomojuApiError, { code: string; httpStatus: number; message: RegExp }]>([
    ['422 unprocessable_entity', new KomojuApiError(422, 'unprocessable_entity', 'currency is not valid', 'currency'), { code: 'unprocessable_entity', httpStatus: 502, message: /rejected the request \(currency\)/ }],
    ['400 missing_parameter', new KomojuApiError(400, 'missing_parameter', 'A required parameter (amount) is missing', 'amount'), { code: 'missing_parameter', httpStatus: 502, message: /rejected the request \(amount\)/ }],
    ['an unknown code, kept', new KomojuApiError(422, 'invalid_payment_type', 'Nope', null), { code: 'invalid_payment_type', httpStatus: 502, message: /rejected/ }],
    ['401 unauthorized', new KomojuApiError(401, 'unauthorized', 'Unauthorized'), { code: 'unauthorized', httpStatus: 502, message: /API key/ }],
    ['403 forbidden', new KomojuApiError(403, 'forbidden', 'Forbidden'), { code: 'forbidden', httpStatus: 502, message: /API key/ }],
    ['504 gateway_timeout (not processed)', new KomojuApiError(504, 'gateway_timeout', 'Timed out'), { code: 'gateway_timeout', httpStatus: 504, message: /did not process/ }],
    ['503 service_unavailable', new KomojuApiError(503, 'service_unavailable', 'Maintenance'), { code: 'service_unavailable', httpStatus: 502, message: /Maintenance/ }],
  ])('maps KOMOJU\'s %s to a ProviderError by its code', (_, error, expected) => {
    const mapped = providerFailure('komoju', 'KOMOJU', classifyKomojuFailure(error)!);
    expect(mapped).toBeInstanceOf(ProviderError);
    expect(mapped).toMatchObject({ provider: 'komoju', code: expected.code, httpStatus: expected.httpStatus });
    expect(mapped.message).toMatch(expected.message);
  });
});
