import type { Server } from 'node:http';
import { ScriptedAnswer, ScriptedAnswer as Scripted, startScriptedServer } from '@paymux/simulator-kit';
import { SpayonClient } from './client';

/** A stand-in provider answering from a script and recording the exact bytes it receives. */
const scriptedSpayon = (script: Record<string, ScriptedAnswer>) => startScriptedServer(script);

/** The exact bytes the client puts on the wire, as the docs show them. */
describe('SpayonClient requests on the wire', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  const TOKEN: Scripted = { status: 200, body: { access_token: 'jwt-1', token_type: 'Bearer', expires_in: 3600 } };

  it('asks for a token with client_id/client_secret and creates a session with the Bearer token and the documented field names', async () => {
    const spayon = await scriptedSpayon({
      'POST /api/tokens': TOKEN,
      'POST /api/product/session': { status: 200, body: { session_url: 'https://spayon.io/session/abc', session_id: 'abc', status: 'pending', order_id: null } },
    });
    server = spayon.server;
    const client = new SpayonClient({ baseUrl: `${spayon.baseUrl}/`, clientId: 'id-1', clientSecret: 'secret-1' });
    await client.createSession({
      product_name: 'Custom Product',
      price: 10.5,
      currency: 'USD',
      callback_url: 'https://paymux.example/v1/webhooks/spayon',
      return_url: 'https://shop.example/thank-you',
      defaultPaymentMethod: 'mir',
      availablePaymentMethods: ['mir'],
      language: 'ru',
    });

    const [token, session] = spayon.recorded;
    expect(token).toMatchObject({ method: 'POST', path: '/api/tokens', body: '{"client_id":"id-1","client_secret":"secret-1"}' });
    expect(token.headers['content-type']).toBe('application/json');
    expect(token.headers.authorization).toBeUndefined();
    expect(session).toMatchObject({ method: 'POST', path: '/api/product/session' });
    expect(session.headers.authorization).toBe('Bearer jwt-1');
    expect(session.headers['content-type']).toBe('application/json');
    expect(session.body).toBe(
      '{"product_name":"Custom Product","price":10.5,"currency":"USD","callback_url":"https://paymux.example/v1/webhooks/spayon",' +
        '"return_url":"https://shop.example/thank-you","defaultPaymentMethod":"mir","availablePaymentMethods":["mir"],"language":"ru"}',
    );
  });

  it('reads an error body defensively: a list of messages, or not JSON at all', async () => {
    const spayon = await scriptedSpayon({
      'POST /api/tokens': TOKEN,
      'POST /api/product/session': { status: 400, body: { message: ['price must be a number', 'currency is required'] } },
      'GET /api/product/session/abc': { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' },
    });
    server = spayon.server;
    const client = new SpayonClient({ baseUrl: spayon.baseUrl, clientId: 'id-1', clientSecret: 'secret-1' });
    await expect(client.createSession({ product_id: 1, callback_url: 'https://a.example', return_url: 'https://a.example' })).rejects.toMatchObject({
      status: 400,
      code: 'http_400',
      message: 'price must be a number; currency is required',
    });
    await expect(client.getSession('abc')).rejects.toMatchObject({ status: 502, code: 'http_502', message: 'Spayon answered HTTP 502 to getSession' });
  });

  it('keeps a code Spayon sends in its error body', async () => {
    const spayon = await scriptedSpayon({
      'POST /api/tokens': TOKEN,
      'GET /api/product/session/abc': { status: 400, body: { code: 'SESSION_INVALID', message: 'Session id is malformed' } },
    });
    server = spayon.server;
    const client = new SpayonClient({ baseUrl: spayon.baseUrl, clientId: 'id-1', clientSecret: 'secret-1' });
    await expect(client.getSession('abc')).rejects.toMatchObject({ status: 400, code: 'SESSION_INVALID', message: 'Session id is malformed' });
  });

  it('never passes on a credential Spayon echoes in an error message', async () => {
    const spayon = await scriptedSpayon({ 'POST /api/tokens': { status: 401, body: { message: 'client_secret secret-1 is not valid' } } });
    server = spayon.server;
    const client = new SpayonClient({ baseUrl: spayon.baseUrl, clientId: 'id-1', clientSecret: 'secret-1' });
    await expect(client.accessToken()).rejects.toMatchObject({ status: 401, message: 'client_secret [redacted] is not valid' });
  });

  it('refuses a 2xx session answer without session_id', async () => {
    const spayon = await scriptedSpayon({ 'POST /api/tokens': TOKEN, 'POST /api/product/session': { status: 200, body: { status: 'pending' } } });
    server = spayon.server;
    const client = new SpayonClient({ baseUrl: spayon.baseUrl, clientId: 'id-1', clientSecret: 'secret-1' });
    await expect(client.createSession({ product_id: 1, callback_url: 'https://a.example', return_url: 'https://a.example' })).rejects.toMatchObject({
      status: 200,
      code: 'invalid_response',
    });
  });
});
