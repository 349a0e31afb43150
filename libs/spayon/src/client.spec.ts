import { ManualClock } from '@paymux/payments';
import { SpayonApiError, SpayonNetworkError, SpayonTimeoutError } from './errors';
import { SANDBOX_CREDENTIALS, SpayonSandbox, startSpayonSandbox } from './simulator';
import { SpayonClient } from './client';
import { SpayonCustomSessionRequest } from './types';

describe('SpayonClient against the simulator', () => {
  let sandbox: SpayonSandbox;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    sandbox = await startSpayonSandbox({ clock });
  });
  afterEach(() => sandbox.close());

  const custom = (overrides: Partial<SpayonCustomSessionRequest> = {}): SpayonCustomSessionRequest => ({
    product_name: 'Custom Product',
    price: 1000,
    currency: 'AMD',
    callback_url: sandbox.callbackUrl,
    return_url: 'https://shop.example/thank-you',
    ...overrides,
  });

  it('creates a session with the marketplace product option and reads its status back', async () => {
    const client = sandbox.client();
    const created = await client.createSession({
      product_id: 1,
      callback_url: sandbox.callbackUrl,
      return_url: 'https://shop.example/thank-you',
      cancel_url: 'https://shop.example/cancelled',
      email: 'user@example.com',
      username: 'john_doe',
      full_name: 'John Doe',
      order_id: 'ORDER_123456',
      defaultPaymentMethod: 'visamaster',
      availablePaymentMethods: ['visamaster', 'mir'],
      language: 'en',
    });
    expect(created).toEqual({
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      session_url: `${sandbox.baseUrl}/session/${created.session_id}`,
      status: 'pending',
      order_id: 'ORDER_123456',
    });
    expect(await client.getSession(created.session_id)).toEqual({
      sessionId: created.session_id,
      status: 'pending',
      productName: 'Gift card',
      price: '5000.00',
      currency: 'AMD',
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
      orderId: 'ORDER_123456',
    });
  });

  it('creates a session with the custom product option, price in major units', async () => {
    const client = sandbox.client();
    const created = await client.createSession(custom({ price: 10.5, currency: 'usd' }));
    const status = await client.getSession(created.session_id);
    expect(status).toMatchObject({ productName: 'Custom Product', price: '10.5', currency: 'USD', orderId: null });
  });

  describe('token cache', () => {
    it('shares one token request among concurrent first calls', async () => {
      const client = sandbox.client();
      await Promise.all(Array.from({ length: 10 }, () => client.createSession(custom())));
      expect(sandbox.simulator.requests).toEqual({ tokens: 1, createSession: 10, getSession: 0 });
    });

    it('reuses the token until 60 s before it expires, then fetches exactly one new one', async () => {
      const client = sandbox.client();
      const { session_id } = await client.createSession(custom());
      clock.advance((3600 - 61) * 1000);
      await client.getSession(session_id);
      expect(sandbox.simulator.requests.tokens).toBe(1);

      clock.advance(2000);
      await Promise.all([client.getSession(session_id), client.getSession(session_id), client.getSession(session_id)]);
      expect(sandbox.simulator.requests.tokens).toBe(2);
    });

    it('on a 401 from a session call refreshes the token once and retries once', async () => {
      const client = sandbox.client();
      const { session_id } = await client.createSession(custom());
      sandbox.simulator.revokeTokens();

      await expect(client.getSession(session_id)).resolves.toMatchObject({ sessionId: session_id });
      expect(sandbox.simulator.requests).toEqual({ tokens: 2, createSession: 1, getSession: 2 });
    });

    it('concurrent callers that all get a 401 cause a single refresh', async () => {
      const client = sandbox.client();
      const { session_id } = await client.createSession(custom());
      sandbox.simulator.revokeTokens();

      await Promise.all(Array.from({ length: 5 }, () => client.getSession(session_id)));
      expect(sandbox.simulator.requests.tokens).toBe(2);
    });

    it('gives up with a 401 when the fresh token is refused too', async () => {
      const rejecting = await startSpayonSandbox({ tokenTtlSeconds: 0 });
      try {
        const client = rejecting.client();
        const error = await client.getSession('any').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SpayonApiError);
        expect(error).toMatchObject({ status: 401, code: 'http_401', operation: 'getSession' });
        expect(rejecting.simulator.requests).toEqual({ tokens: 2, createSession: 0, getSession: 2 });
      } finally {
        await rejecting.close();
      }
    });
  });

  describe('errors', () => {
    it('bad credentials are a 401 SpayonApiError that does not carry the secret', async () => {
      const client = sandbox.client({ clientSecret: 'wrong-secret-value' });
      const error = await client.createSession(custom()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpayonApiError);
      expect(error).toMatchObject({ operation: 'token', status: 401, code: 'http_401', message: 'Invalid client credentials' });
      expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('wrong-secret-value');
      expect(sandbox.simulator.requests.createSession).toBe(0);
    });

    it('a 400 carries Spayon’s message', async () => {
      const error = await sandbox.client().createSession(custom({ currency: 'JPY' as never })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpayonApiError);
      expect(error).toMatchObject({ status: 400, code: 'http_400', message: 'currency must be one of AMD, RUB, USD, EUR, GBP' });
    });

    it('a 404 for an unknown session', async () => {
      await expect(sandbox.client().getSession('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ status: 404, code: 'http_404' });
    });

    it('a 500 is a SpayonApiError with the status', async () => {
      const client = sandbox.client();
      await client.accessToken();
      sandbox.simulator.faults.set({ errorRate: 1 });
      await expect(client.createSession(custom())).rejects.toMatchObject({ status: 500, code: 'http_500', message: 'simulated failure' });
    });

    it('no answer within timeoutMs is a SpayonTimeoutError, and a create is not sent again', async () => {
      const client = sandbox.client({ timeoutMs: 50 });
      await client.accessToken();
      sandbox.simulator.faults.set({ timeoutRate: 1 });
      const error = await client.createSession(custom()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpayonTimeoutError);
      expect(error).toMatchObject({ operation: 'createSession', timeoutMs: 50 });
      expect(sandbox.simulator.requests.createSession).toBe(1);
    });

    it('an unreachable Spayon is a SpayonNetworkError', async () => {
      const client = new SpayonClient({ baseUrl: 'http://127.0.0.1:1', ...SANDBOX_CREDENTIALS });
      await expect(client.getSession('x')).rejects.toBeInstanceOf(SpayonNetworkError);
    });
  });
});
