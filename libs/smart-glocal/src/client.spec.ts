import axios from 'axios';
import { SmartGlocalClient } from './client';
import { SmartGlocalApiError, SmartGlocalTimeoutError } from './errors';
import { generateRsaKeyPair, SmartGlocalKeyError, verifyBody } from './signature';
import { TEST_CARDS } from './simulator';
import { SmartGlocalSandbox, startSmartGlocalSandbox } from './simulator/sandbox';
import { HEADERS, SessionCreateRequest } from './types';

const createBody = {
  amount_details: { amount: 10000, currency: 'usd' },
  customer: { reference: 'user-981' },
  payment_options: { return_url: 'https://shop.example/return' },
  metadata: { paymux_session_id: 'sess_1', note: 'Ünïcødé ✓' },
} satisfies SessionCreateRequest;

describe('SmartGlocalClient against the simulator', () => {
  let sandbox: SmartGlocalSandbox;

  beforeEach(async () => {
    sandbox = await startSmartGlocalSandbox();
  });
  afterEach(() => sandbox.close());

  it('creates a session with a signed request the simulator accepts', async () => {
    const session = await sandbox.client.createSession(createBody);
    expect(session).toMatchObject({ status: 'created', acquiring_payments: [] });
    expect(sandbox.simulator.requestOf(session.id)).toMatchObject({ amount_details: { amount: 10000, currency: 'usd' }, metadata: createBody.metadata });
    expect(session.id).toMatch(/^ps_/);
    expect(sandbox.simulator.requestCount('session/create')).toBe(1);
  });

  it('sends exactly the bytes it signed', async () => {
    const http = axios.create();
    const seen: { data: Buffer; signature: string }[] = [];
    http.interceptors.request.use((config) => {
      seen.push({ data: config.data as Buffer, signature: String(config.headers.get(HEADERS.sign)) });
      return config;
    });
    const client = new SmartGlocalClient({ baseUrl: sandbox.baseUrl, project: sandbox.project, privateKeyPem: sandbox.merchantKeys.privateKeyPem, http });
    await client.createSession(createBody);
    expect(Buffer.isBuffer(seen[0].data)).toBe(true);
    expect(verifyBody(seen[0].data, seen[0].signature, sandbox.merchantKeys.publicKeyPem)).toBe(true);
  });

  it('is refused with 401 when one byte of the signed body changes in transit', async () => {
    const http = axios.create();
    http.interceptors.request.use((config) => {
      const tampered = Buffer.from(config.data as Buffer);
      const at = tampered.indexOf('10000');
      tampered[at] = '2'.charCodeAt(0);
      config.data = tampered;
      return config;
    });
    const client = new SmartGlocalClient({ baseUrl: sandbox.baseUrl, project: sandbox.project, privateKeyPem: sandbox.merchantKeys.privateKeyPem, http });
    const error = await client.createSession(createBody).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmartGlocalApiError);
    expect(error).toMatchObject({ httpStatus: 401, code: 'invalid_signature' });
    expect(sandbox.simulator.sessionCount()).toBe(0);
    expect(sandbox.simulator.rejectedRequests).toBe(1);
  });

  it('is refused with 401 when signed with a key Smart Glocal does not know', async () => {
    const client = new SmartGlocalClient({ baseUrl: sandbox.baseUrl, project: sandbox.project, privateKeyPem: generateRsaKeyPair().privateKeyPem });
    await expect(client.createSession(createBody)).rejects.toMatchObject({ httpStatus: 401, code: 'invalid_signature' });
  });

  it('is refused with 401 for an unknown project', async () => {
    const client = new SmartGlocalClient({ baseUrl: sandbox.baseUrl, project: 'someone-else', privateKeyPem: sandbox.merchantKeys.privateKeyPem });
    await expect(client.createSession(createBody)).rejects.toMatchObject({ httpStatus: 401, code: 'invalid_project' });
  });

  it('gets the same session back for the same idempotency key, and creates no second one', async () => {
    const first = await sandbox.client.createSession(createBody, { idempotencyKey: 'key-1' });
    const again = await sandbox.client.createSession(createBody, { idempotencyKey: 'key-1' });
    expect(again).toEqual(first);
    expect(sandbox.simulator.sessionCount()).toBe(1);
    const other = await sandbox.client.createSession(createBody, { idempotencyKey: 'key-2' });
    expect(other.id).not.toBe(first.id);
  });

  it('refuses an idempotency key reused with a different body', async () => {
    await sandbox.client.createSession(createBody, { idempotencyKey: 'key-1' });
    await expect(
      sandbox.client.createSession({ ...createBody, amount_details: { amount: 1, currency: 'usd' } }, { idempotencyKey: 'key-1' }),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('replays init/payment for the same key: one session, one payment', async () => {
    const request = {
      ...createBody,
      payment_details: { type: 'card' as const, card: { type: 'bank_card' as const, bank_card: { number: TEST_CARDS.succeeds, expiration_month: '05', expiration_year: '45', security_code: '123' } } },
    };
    const first = await sandbox.client.initPayment(request, { idempotencyKey: 'sess_1' });
    const again = await sandbox.client.initPayment(request, { idempotencyKey: 'sess_1' });
    expect(again.id).toBe(first.id);
    expect(again.acquiring_payments).toHaveLength(1);
    expect(first.acquiring_payments[0].payment_details).toEqual({ type: 'card', card: { brand: 'visa', last4: '4242' } });
    expect(sandbox.simulator.sessionCount()).toBe(1);
  });

  it.each([
    ['a currency that is no ISO 4217 code', { ...createBody, amount_details: { amount: 100, currency: 'us' } }, 'invalid_currency'],
    ['an unsupported currency', { ...createBody, amount_details: { amount: 100, currency: 'jpy' } }, 'unsupported_currency'],
    ['a fractional amount', { ...createBody, amount_details: { amount: 10.5, currency: 'usd' } }, 'invalid_amount'],
    ['no customer reference', { ...createBody, customer: { reference: '' } }, 'invalid_customer'],
  ])('maps the error envelope for %s to a typed error with Smart Glocal\'s code', async (_label, body, code) => {
    const error = await sandbox.client.createSession(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmartGlocalApiError);
    expect(error).toMatchObject({ httpStatus: 400, code });
  });

  it('maps an HTTP 500 without an envelope to http_500', async () => {
    sandbox.simulator.faults.set({ errorRate: 1 });
    await expect(sandbox.client.createSession(createBody)).rejects.toMatchObject({ httpStatus: 500, code: 'http_500' });
  });

  it('gives up after timeoutMs with a typed timeout', async () => {
    await sandbox.close();
    sandbox = await startSmartGlocalSandbox({ timeoutMs: 200 });
    sandbox.simulator.faults.set({ timeoutRate: 1 });
    const error = await sandbox.client.createSession(createBody).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmartGlocalTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200, method: 'session/create' });
  });

  it('reports a refused connection as network_error', async () => {
    const client = new SmartGlocalClient({ baseUrl: 'http://127.0.0.1:1', project: 'p', privateKeyPem: sandbox.merchantKeys.privateKeyPem });
    await expect(client.sessionStatus('ps_1')).rejects.toMatchObject({ httpStatus: null, code: 'network_error' });
  });

  it('issues a widget token, reads and cancels a session', async () => {
    const session = await sandbox.client.createSession(createBody);
    const token = await sandbox.client.getToken({ acquiring_widget: { session_id: session.id, locale: 'en' } });
    expect(token).toMatch(/^pt_/);
    expect(await sandbox.client.sessionStatus(session.id)).toEqual(session);
    expect((await sandbox.client.cancelSession(session.id)).status).toBe('cancelled');
    await expect(sandbox.client.cancelSession(session.id)).rejects.toMatchObject({ httpStatus: 409, code: 'invalid_session_state' });
    await expect(sandbox.client.sessionStatus('ps_missing')).rejects.toMatchObject({ httpStatus: 404, code: 'session_not_found' });
  });

  it('refuses to start with a bad private key, naming the setting', () => {
    expect(() => new SmartGlocalClient({ baseUrl: sandbox.baseUrl, project: 'p', privateKeyPem: 'garbage' })).toThrow(SmartGlocalKeyError);
    expect(() => new SmartGlocalClient({ baseUrl: sandbox.baseUrl, project: 'p', privateKeyPem: 'garbage' })).toThrow(/SMART_GLOCAL_PRIVATE_KEY/);
  });
});
