import type { Server } from 'node:http';
import { ScriptedAnswer, startScriptedServer } from '@paymux/simulator-kit';
import { KomojuApiError, KomojuClient, toKomojuIdempotencyKey } from './client';
import { signWebhook, verifyWebhookSignature } from './signature';
import { KOMOJU_WEBHOOK_HEADERS, KomojuSession } from './types';

/** A stand-in provider answering from a script and recording the exact bytes it receives. */
const scriptedKomoju = (script: Record<string, ScriptedAnswer[]>) => startScriptedServer(script, '/api/v1');

/** The Session object with the fields shared/providers/komoju.md lists, as KOMOJU answers it (no `expires_at`). */
const DOC_SESSION: KomojuSession = {
  id: '7e1b0d5b3c2a4f6e8d9c0b1a2',
  resource: 'session',
  mode: 'customer_payment',
  amount: 1000,
  currency: 'JPY',
  session_url: 'https://komoju.com/sessions/7e1b0d5b3c2a4f6e8d9c0b1a2',
  return_url: 'https://shop.example/done',
  default_locale: 'ja',
  payment_methods: [{ type: 'konbini' }],
  created_at: '2026-11-23T09:00:00.000+09:00',
  cancelled_at: null,
  completed_at: '2026-11-23T09:05:00.000+09:00',
  status: 'completed',
  expired: false,
  metadata: { paymux_session_id: 'sess_1' },
  payment: {
    id: 'a1b2c3d4e5f6a7b8c9d0e1f2a', resource: 'payment', status: 'authorized', amount: 1000, tax: 0, total: 1000, payment_method_fee: 0,
    currency: 'JPY', customer: 'c0ffeec0ffeec0ffeec0ffeec', payment_deadline: '2026-11-26T23:59:59.000+09:00',
    payment_details: { type: 'konbini' }, description: null, captured_at: null, external_order_num: 'ORDER_1',
    metadata: { paymux_session_id: 'sess_1' }, created_at: '2026-11-23T09:05:00.000+09:00', amount_refunded: 0, locale: 'ja',
    session: '7e1b0d5b3c2a4f6e8d9c0b1a2', refunds: [], refund_requests: [],
  },
  payment_data: { external_order_num: 'ORDER_1' },
  customer_id: 'c0ffeec0ffeec0ffeec0ffeec',
  secure_token: 'secure-token',
};

describe('KomojuClient on the wire, against the docs\' request and answer shapes', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('creates a session with Basic auth (key as user name, empty password), X-KOMOJU-IDEMPOTENCY and the documented body', async () => {
    const komoju = await scriptedKomoju({ 'POST /api/v1/sessions': [{ status: 200, body: DOC_SESSION }] });
    server = komoju.server;
    const client = new KomojuClient({ baseUrl: `${komoju.baseUrl}/`, secretKey: 'sk_test_123' });
    const body = {
      mode: 'customer_payment' as const, amount: 1000, currency: 'JPY', return_url: 'https://shop.example/done', expires_in_seconds: 3600,
      payment_types: ['konbini'], default_locale: 'ja', metadata: { paymux_session_id: 'sess_1' }, payment_data: { external_order_num: 'ORDER_1' },
    };
    const session = await client.createSession(body, { idempotencyKey: 'order-77' });
    const [sent] = komoju.recorded;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/api/v1/sessions');
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from('sk_test_123:').toString('base64')}`);
    expect(sent.headers['x-komoju-idempotency']).toBe('order-77');
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(sent.body).toBe(JSON.stringify(body));
    expect(session).toEqual(DOC_SESSION);
    expect(session).not.toHaveProperty('expires_at');
    expect(session.expired).toBe(false);
    expect(session.payment?.session).toBe(session.id);
  });

  it('sends a paymux key that does not fit KOMOJU\'s 100 ASCII characters as its SHA-256 hex', async () => {
    expect(toKomojuIdempotencyKey('k'.repeat(100))).toBe('k'.repeat(100));
    expect(toKomojuIdempotencyKey('k'.repeat(101))).toMatch(/^[0-9a-f]{64}$/);
    expect(toKomojuIdempotencyKey('キー')).toMatch(/^[0-9a-f]{64}$/);
    expect(toKomojuIdempotencyKey('キー')).toBe(toKomojuIdempotencyKey('キー'));
  });

  it('re-sends the same key and the same bytes after a 409 (first request still in flight), and returns the first answer', async () => {
    const komoju = await scriptedKomoju({
      'POST /api/v1/sessions': [
        { status: 409, body: { error: { message: 'A request with this idempotency key is in progress', code: 'conflict', param: null } } },
        { status: 200, body: DOC_SESSION },
      ],
    });
    server = komoju.server;
    const client = new KomojuClient({ baseUrl: komoju.baseUrl, secretKey: 'sk_test_123', inFlightRetryDelayMs: 10 });
    expect((await client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY' }, { idempotencyKey: 'k-1' })).id).toBe(DOC_SESSION.id);
    expect(komoju.recorded).toHaveLength(2);
    expect(komoju.recorded[1].body).toBe(komoju.recorded[0].body);
    expect(komoju.recorded.map((r) => r.headers['x-komoju-idempotency'])).toEqual(['k-1', 'k-1']);
  });

  it.each<[string, number, object | string, Partial<KomojuApiError> & { kind: string; retryable: boolean }]>([
    ['the docs\' missing_parameter example', 400, { error: { message: 'A required parameter (amount) is missing', code: 'missing_parameter', param: 'amount' } }, { httpStatus: 400, code: 'missing_parameter', param: 'amount', kind: 'invalid_request', retryable: false }],
    ['a 400 bad_request', 400, { error: { message: 'Bad request', code: 'bad_request', param: null } }, { code: 'bad_request', kind: 'invalid_request', retryable: false }],
    ['a 422 unprocessable_entity', 422, { error: { message: 'currency is not valid', code: 'unprocessable_entity', param: 'currency', details: {} } }, { httpStatus: 422, code: 'unprocessable_entity', param: 'currency', kind: 'invalid_request', retryable: false }],
    ['a 401 unauthorized', 401, { error: { message: 'Unauthorized', code: 'unauthorized', param: null } }, { code: 'unauthorized', kind: 'authentication', retryable: false }],
    ['a 403 forbidden', 403, { error: { message: 'Forbidden', code: 'forbidden', param: null } }, { code: 'forbidden', kind: 'authentication', retryable: false }],
    ['a 404 not_found', 404, { error: { message: 'Not found', code: 'not_found', param: null } }, { code: 'not_found', kind: 'not_found', retryable: false }],
    ['a 503 service_unavailable (maintenance)', 503, { error: { message: 'Maintenance', code: 'service_unavailable', param: null } }, { code: 'service_unavailable', kind: 'provider_failure', retryable: true }],
    ['a 504 gateway_timeout (not processed)', 504, { error: { message: 'Timed out', code: 'gateway_timeout', param: null } }, { code: 'gateway_timeout', kind: 'not_processed', retryable: true }],
    ['a code the docs do not list, kept as it came', 422, { error: { message: 'Nope', code: 'invalid_payment_type', param: 'payment_types' } }, { code: 'invalid_payment_type', kind: 'invalid_request', retryable: false }],
    ['a bare 500 without a body', 500, '', { code: 'http_500', kind: 'provider_failure', retryable: false }],
  ])('reads %s by its error.code', async (_, status, body, expected) => {
    const komoju = await scriptedKomoju({ 'GET /api/v1/sessions/s1': [{ status, body }] });
    server = komoju.server;
    const error = await new KomojuClient({ baseUrl: komoju.baseUrl, secretKey: 'sk_test_123' }).getSession('s1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KomojuApiError);
    const apiError = error as KomojuApiError;
    expect({ httpStatus: apiError.httpStatus, code: apiError.code, param: apiError.param, kind: apiError.kind, retryable: apiError.retryable }).toMatchObject(expected);
    expect(String(apiError) + JSON.stringify(apiError)).not.toContain('sk_test_123');
  });

  it('cancels with POST /sessions/{id}/cancel and reads the Session back', async () => {
    const cancelled = { ...DOC_SESSION, status: 'cancelled', cancelled_at: '2026-11-23T09:10:00.000+09:00', payment: null, completed_at: null };
    const komoju = await scriptedKomoju({ 'POST /api/v1/sessions/7e1b0d5b3c2a4f6e8d9c0b1a2/cancel': [{ status: 200, body: cancelled }] });
    server = komoju.server;
    expect(await new KomojuClient({ baseUrl: komoju.baseUrl, secretKey: 'sk_test_123' }).cancelSession(DOC_SESSION.id)).toMatchObject({ status: 'cancelled' });
  });
});

describe('KOMOJU webhook deliveries as the docs describe them', () => {
  /** An Event as documented: id (25 characters), type, resource "event", created_at, reason, data (the Payment, with session). */
  const event = { id: 'e0e0e0e0e0e0e0e0e0e0e0e0e', type: 'payment.captured', resource: 'event', created_at: '2026-11-23T09:06:00.000+09:00', reason: null, data: { ...DOC_SESSION.payment, status: 'captured' } };
  const raw = Buffer.from(JSON.stringify(event));
  const secret = 'whsec_dashboard_token';

  it('X-Komoju-Signature is the lower-case hex HMAC-SHA256 of the raw body with the secret token', () => {
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const expected = createHmac('sha256', secret).update(raw).digest('hex');
    expect(signWebhook(raw, secret)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(raw, expected, secret)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(JSON.stringify(JSON.parse(raw.toString()), null, 1)), expected, secret)).toBe(false);
    expect(verifyWebhookSignature(raw, expected, 'another-token')).toBe(false);
  });

  it('names the delivery headers as the docs do', () => {
    expect(KOMOJU_WEBHOOK_HEADERS).toEqual({ signature: 'X-Komoju-Signature', event: 'X-Komoju-Event', id: 'X-Komoju-ID' });
  });
});
