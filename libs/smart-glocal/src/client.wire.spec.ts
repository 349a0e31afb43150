import type { Server } from 'node:http';
import { RecordedRequest as Recorded, ScriptedAnswer, ScriptedAnswer as Scripted, startScriptedServer } from '@paymux/simulator-kit';
import { SmartGlocalClient } from './client';
import { SmartGlocalApiError } from './errors';
import { generateRsaKeyPair, verifyBody } from './signature';
import { SessionInitPaymentRequest } from './types';

/** A stand-in provider answering from a script and recording the exact bytes it receives. */
const scriptedSmartGlocal = (script: Record<string, ScriptedAnswer>) => startScriptedServer(script);

/** The documented answer of `session/init/payment` (its "Successful response example"), field by field. */
const DOC_INIT_ANSWER = {
  status: 'ok',
  session: {
    id: 'ps_3230',
    status: 'in_progress',
    created_at: '2024-05-27T02:03:00.000000Z',
    updated_at: '2024-05-27T02:03:00.000000Z',
    acquiring_payments: [
      {
        id: 'pm_203',
        status: 'in_progress',
        created_at: '2024-05-27T02:03:00.000000Z',
        customer: { reference: 'lucky' },
        payment_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
        amount_details: { amount: 10000, currency: 'usd' },
        payment_options: { return_url: 'https://website.com' },
      },
    ],
  },
};

/** The documented request of `session/init/payment` ("Request example"). */
const DOC_INIT_REQUEST: SessionInitPaymentRequest = {
  payment_details: { type: 'card', card: { type: 'bank_card', bank_card: { number: '4242424242424242', expiration_month: '05', expiration_year: '25', security_code: '123' } } },
  amount_details: { amount: 10000, currency: 'usd' },
  customer: { reference: 'lucky' },
  payment_options: { return_url: 'https://website.com' },
};

/** A `ready_to_confirm`-time session as the objects and webhook pages show it. */
const PENDING_SESSION = {
  id: 'ps_3230',
  status: 'in_progress',
  created_at: '2024-05-27T02:03:00.000000Z',
  updated_at: '2024-05-27T02:04:00.000000Z',
  next_action: 'confirm',
  acquiring_payments: [{ ...DOC_INIT_ANSWER.session.acquiring_payments[0], status: 'pending' }],
};

const DOC_ERROR = { error: { code: 'error code', description: 'error description' }, status: 'error' };

describe('SmartGlocalClient on the wire, with the docs’ own requests and answers', () => {
  const keys = generateRsaKeyPair();
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function clientFor(script: Record<string, Scripted>) {
    const sg = await scriptedSmartGlocal(script);
    server = sg.server;
    return { sg, client: new SmartGlocalClient({ baseUrl: `${sg.baseUrl}/`, project: 'your_project_name', privateKeyPem: keys.privateKeyPem }) };
  }

  function expectSignedPost(recorded: Recorded, path: string, body: string) {
    expect(recorded.method).toBe('POST');
    expect(recorded.path).toBe(path);
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(recorded.headers['x-partner-project']).toBe('your_project_name');
    expect(recorded.raw.toString('utf8')).toBe(body);
    // RSA-SHA256, PKCS#1 v1.5, base64, over exactly the bytes that arrived.
    const signature = String(recorded.headers['x-partner-sign']);
    expect(signature).toMatch(/^[A-Za-z0-9+/]{342}==$/);
    expect(verifyBody(recorded.raw, signature, keys.publicKeyPem)).toBe(true);
  }

  it('session/init/payment: POST /api/v1/session/init/payment with the documented body, and reads the documented answer', async () => {
    const { sg, client } = await clientFor({ 'POST /api/v1/session/init/payment': { status: 200, body: DOC_INIT_ANSWER } });
    const session = await client.initPayment(DOC_INIT_REQUEST, { idempotencyKey: 'sess_1' });
    expectSignedPost(
      sg.recorded[0],
      '/api/v1/session/init/payment',
      '{"payment_details":{"type":"card","card":{"type":"bank_card","bank_card":{"number":"4242424242424242","expiration_month":"05","expiration_year":"25","security_code":"123"}}},' +
        '"amount_details":{"amount":10000,"currency":"usd"},"customer":{"reference":"lucky"},"payment_options":{"return_url":"https://website.com"}}',
    );
    expect(session).toEqual(DOC_INIT_ANSWER.session);
  });

  const sessionIdMethods: [string, (client: SmartGlocalClient) => Promise<unknown>][] = [
    ['session/status', (client) => client.sessionStatus('ps_3230')],
    ['session/confirm', (client) => client.confirmSession('ps_3230')],
    ['session/cancel', (client) => client.cancelSession('ps_3230')],
    ['session/capture', (client) => client.captureSession('ps_3230')],
  ];
  it.each(sessionIdMethods)('%s: POST /api/v1/<method> with {"session_id"} only, and the session from the answer', async (method, call) => {
    const { sg, client } = await clientFor({ [`POST /api/v1/${method}`]: { status: 200, body: { status: 'ok', session: PENDING_SESSION } } });
    expect(await call(client)).toEqual(PENDING_SESSION);
    expect(sg.recorded).toHaveLength(1);
    expectSignedPost(sg.recorded[0], `/api/v1/${method}`, '{"session_id":"ps_3230"}');
  });

  it('session/create: an empty-bodied create is allowed and answers a created session', async () => {
    const created = { id: 'ps_1', status: 'created', created_at: 'x', updated_at: 'x', acquiring_payments: [] };
    const { sg, client } = await clientFor({ 'POST /api/v1/session/create': { status: 200, body: { status: 'ok', session: created } } });
    expect(await client.createSession({})).toEqual(created);
    expectSignedPost(sg.recorded[0], '/api/v1/session/create', '{}');
  });

  it('token: {"acquiring_widget": {...}} answers public_token instead of session', async () => {
    const { sg, client } = await clientFor({ 'POST /api/v1/token': { status: 200, body: { status: 'ok', public_token: 'pt_1' } } });
    expect(await client.getToken({ acquiring_widget: { session_id: 'ps_3230', locale: 'en' } })).toBe('pt_1');
    expectSignedPost(sg.recorded[0], '/api/v1/token', '{"acquiring_widget":{"session_id":"ps_3230","locale":"en"}}');
  });

  it('the documented error envelope is a typed error with its code and description, whatever the HTTP status', async () => {
    for (const status of [200, 400]) {
      const { client } = await clientFor({ 'POST /api/v1/session/confirm': { status, body: DOC_ERROR } });
      const error = await client.confirmSession('ps_3230').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmartGlocalApiError);
      expect(error).toMatchObject({ httpStatus: status, code: 'error code', description: 'error description', method: 'session/confirm' });
      server?.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
      server = undefined;
    }
  });

  it('a non-2xx answer without the envelope is a transport error named after the HTTP status', async () => {
    const { client } = await clientFor({ 'POST /api/v1/session/status': { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' } });
    await expect(client.sessionStatus('ps_3230')).rejects.toMatchObject({ httpStatus: 502, code: 'http_502' });
  });

  it('an ok answer without a session is an invalid_response', async () => {
    const { client } = await clientFor({ 'POST /api/v1/session/status': { status: 200, body: { status: 'ok' } } });
    await expect(client.sessionStatus('ps_3230')).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
