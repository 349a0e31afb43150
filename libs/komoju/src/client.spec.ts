import { KomojuApiError, KomojuConnectionError, KomojuTimeoutError } from './client';
import { KomojuSandbox } from './simulator';
import { KOMOJU_IDEMPOTENCY_HEADER, KomojuCreateSessionBody } from './types';

describe('KomojuClient against the simulator over HTTP', () => {
  let sandbox: KomojuSandbox;
  const body: KomojuCreateSessionBody = { mode: 'payment', amount: 1000, currency: 'JPY', return_url: 'https://shop.example/done' };

  beforeAll(async () => {
    sandbox = await KomojuSandbox.start();
  });
  afterEach(() => sandbox.simulator.faults.reset());
  afterAll(() => sandbox.close());

  it('creates, shows and cancels a session with Basic auth', async () => {
    const created = await sandbox.client.createSession(body);
    expect(created).toMatchObject({ resource: 'session', mode: 'payment', amount: 1000, currency: 'JPY', status: 'pending', payment: null });
    expect(created.session_url).toBe(`${sandbox.apiBaseUrl.replace(/\/api\/v1$/, '')}/sessions/${created.id}`);
    expect(await sandbox.client.getSession(created.id)).toEqual(created);
    const cancelled = await sandbox.client.cancelSession(created.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(String) });
  });

  it('answers a wrong secret key with 401 in KOMOJU\'s error shape and keeps the key out of the error', async () => {
    const error = await sandbox.clientWith('sk_test_wrong_key').createSession(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KomojuApiError);
    expect(error).toMatchObject({ httpStatus: 401, code: 'unauthorized' });
    expect(JSON.stringify(error) + String(error)).not.toContain('sk_test_wrong_key');
    expect(JSON.stringify(error) + String(error)).not.toContain(sandbox.secretKey);
  });

  it('returns the same session for a retried create with the same idempotency key', async () => {
    const before = sandbox.simulator.sessionCount;
    const first = await sandbox.client.createSession(body, { idempotencyKey: 'order-77' });
    const again = await sandbox.client.createSession(body, { idempotencyKey: 'order-77' });
    expect(again.id).toBe(first.id);
    expect(sandbox.simulator.sessionCount).toBe(before + 1);
    expect(KOMOJU_IDEMPOTENCY_HEADER).toBe('X-KOMOJU-IDEMPOTENCY');
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a missing mode', { amount: 1000, currency: 'JPY' }, 'missing_parameter', 'mode'],
    ['an unknown mode', { ...body, mode: 'subscription' }, 'unprocessable_entity', 'mode'],
    ['a missing amount', { mode: 'payment', currency: 'JPY' }, 'missing_parameter', 'amount'],
    ['a negative amount', { ...body, amount: -1 }, 'unprocessable_entity', 'amount'],
    ['a fractional amount', { ...body, amount: 10.5 }, 'unprocessable_entity', 'amount'],
    ['a missing currency', { mode: 'payment', amount: 1000 }, 'missing_parameter', 'currency'],
    ['a currency the account lacks', { ...body, currency: 'GBP' }, 'unprocessable_entity', 'currency'],
    ['expiry over 24 h', { ...body, expires_in_seconds: 86401 }, 'unprocessable_entity', 'expires_in_seconds'],
    ['expiry of zero', { ...body, expires_in_seconds: 0 }, 'unprocessable_entity', 'expires_in_seconds'],
    ['an unknown payment type', { ...body, payment_types: ['cash'] }, 'unprocessable_entity', 'payment_types'],
    ['an unknown locale', { ...body, default_locale: 'fr' }, 'unprocessable_entity', 'default_locale'],
    ['a metadata key of 31 characters', { ...body, metadata: { ['k'.repeat(31)]: 'v' } }, 'unprocessable_entity', 'metadata'],
    ['a metadata value of 2001 characters', { ...body, metadata: { k: 'v'.repeat(2001) } }, 'unprocessable_entity', 'metadata'],
    ['a metadata value that is not a string', { ...body, metadata: { k: 1 } }, 'unprocessable_entity', 'metadata'],
    ['a relative return_url', { ...body, return_url: '/done' }, 'unprocessable_entity', 'return_url'],
    ['an unknown customer_id', { ...body, mode: 'customer_payment', customer_id: 'nobody' }, 'unprocessable_entity', 'customer_id'],
    ['a line item without quantity', { ...body, line_items: [{ description: 'x', amount: 1 }] }, 'unprocessable_entity', 'line_items'],
    ['a bad capture', { ...body, payment_data: { capture: 'later' } }, 'unprocessable_entity', 'payment_data[capture]'],
    ['an undocumented field', { ...body, colour: 'red' }, 'bad_request', 'colour'],
  ])('rejects %s with %s, naming the parameter', async (_, bad, code, param) => {
    const error = await sandbox.client.createSession(bad as unknown as KomojuCreateSessionBody).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KomojuApiError);
    expect(error).toMatchObject({ httpStatus: code === 'unprocessable_entity' ? 422 : 400, code, param });
  });

  it('accepts the limits themselves: 86400 s, 30-character keys, 2000-character values', async () => {
    const session = await sandbox.client.createSession({ ...body, expires_in_seconds: 86400, metadata: { ['k'.repeat(30)]: 'v'.repeat(2000) } });
    expect(session).toMatchObject({ status: 'pending', expired: false });
    expect(session).not.toHaveProperty('expires_at');
  });

  it('refuses to cancel a completed session', async () => {
    const session = await sandbox.client.createSession(body);
    sandbox.simulator.pay(session.id);
    await expect(sandbox.client.cancelSession(session.id)).rejects.toMatchObject({ httpStatus: 422, code: 'unprocessable_entity', kind: 'invalid_request' });
  });

  it('answers an unknown session with not_found', async () => {
    await expect(sandbox.client.getSession('missing')).rejects.toMatchObject({ httpStatus: 404, code: 'not_found' });
  });

  it('turns the 500 knob into an API error and the timeout knob into a timeout error', async () => {
    sandbox.simulator.faults.set({ errorRate: 1 });
    await expect(sandbox.client.createSession(body)).rejects.toMatchObject({ httpStatus: 500 });
    sandbox.simulator.faults.set({ errorRate: 0, timeoutRate: 1 });
    await expect(sandbox.client.createSession(body)).rejects.toBeInstanceOf(KomojuTimeoutError);
  });

  it('reports an unreachable KOMOJU as a connection error', async () => {
    const { KomojuClient } = await import('./client');
    const client = new KomojuClient({ baseUrl: 'http://127.0.0.1:1/api/v1', secretKey: 'sk_test_x', timeoutMs: 500 });
    await expect(client.getSession('x')).rejects.toBeInstanceOf(KomojuConnectionError);
  });
});

describe('KomojuClient secrets', () => {
  it('cannot reveal the secret key when logged or serialised', async () => {
    const { inspect } = await import('node:util');
    const { KomojuClient } = await import('./client');
    const client = new KomojuClient({ baseUrl: 'http://127.0.0.1:1/api/v1', secretKey: 'sk_test_do_not_print' });
    const encoded = Buffer.from('sk_test_do_not_print:').toString('base64');
    for (const text of [inspect(client, { depth: 5 }), JSON.stringify(client)]) {
      expect(text).not.toContain('sk_test_do_not_print');
      expect(text).not.toContain(encoded);
    }
  });
});
