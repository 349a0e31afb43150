import { generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PaymentProvider, ProviderError } from '@paymux/payments';
import { KomojuClient } from '@paymux/komoju';
import { SmartGlocalClient } from '@paymux/smart-glocal';
import { SpayonClient } from '@paymux/spayon';
import { KomojuPaymentProvider } from './komoju/komoju.provider';
import { SmartGlocalPaymentProvider } from './smart-glocal/smart-glocal.provider';
import { SpayonPaymentProvider } from './spayon/spayon.provider';

/**
 * The same failure reads the same at every provider: each real adapter and client, over real HTTP,
 * against a network that misbehaves in one way (a stand-in that answers every request alike, or
 * nothing listening at all).
 */
type Misbehaviour = 'bare 500' | 'bare 503' | 'bare 429' | 'hang';

async function misbehave(how: Misbehaviour): Promise<{ baseUrl: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (how === 'hang') return;
      res.writeHead(Number(how.slice(-3)), { 'content-type': 'text/plain' }).end('');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<string> {
  const { baseUrl, server } = await misbehave('bare 500');
  await new Promise((resolve) => server.close(resolve));
  return baseUrl;
}

const TIMEOUT_MS = 200;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const PROVIDERS: Record<string, (baseUrl: string) => PaymentProvider> = {
  spayon: (baseUrl) => new SpayonPaymentProvider({ client: new SpayonClient({ baseUrl, clientId: 'id', clientSecret: 'secret', timeoutMs: TIMEOUT_MS }), callbackSecret: 'cb', production: false }),
  smart_glocal: (baseUrl) =>
    new SmartGlocalPaymentProvider({
      client: new SmartGlocalClient({ baseUrl, project: 'p1', privateKeyPem: PRIVATE_PEM, timeoutMs: TIMEOUT_MS }),
      smartGlocalPublicKeyPem: PUBLIC_PEM,
      payPageUrl: (id) => `https://paymux.example/pay/${id}`,
      allowCardData: false,
      autoConfirmation: false,
    }),
  komoju: (baseUrl) => new KomojuPaymentProvider({ client: new KomojuClient({ baseUrl, secretKey: 'sk_test_x', timeoutMs: TIMEOUT_MS }), webhookSecret: 'wh' }),
};

const REF = { id: 'sess_1', providerSessionId: 'ps_1', amount: 1000, currency: 'AMD' };

async function failureOf(provider: PaymentProvider): Promise<ProviderError> {
  const error = await provider.fetchStatus(REF).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe.each(Object.keys(PROVIDERS))('%s failures in the shared vocabulary', (name) => {
  const build = PROVIDERS[name];
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it.each<[Misbehaviour, object]>([
    ['bare 500', { code: 'provider_server_error', httpStatus: 502, timedOut: false, retryable: true }],
    ['bare 503', { code: 'provider_server_error', httpStatus: 502, timedOut: false, retryable: true }],
    ['bare 429', { code: 'provider_rate_limited', httpStatus: 502, timedOut: false, retryable: true }],
    ['hang', { code: 'provider_timeout', httpStatus: 504, timedOut: true, retryable: true }],
  ])('a %s answers %o', async (how, expected) => {
    const stand = await misbehave(how);
    server = stand.server;
    expect(await failureOf(build(stand.baseUrl))).toMatchObject({ provider: name, ...expected });
  });

  it('nothing listening is provider_unreachable, a retryable 502 naming the transport error', async () => {
    const error = await failureOf(build(await closedPort()));
    expect(error).toMatchObject({ provider: name, code: 'provider_unreachable', httpStatus: 502, timedOut: false, retryable: true });
    expect(error.message).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });
});

describe('a bug is not a provider failure', () => {
  it('an error the adapter does not recognise stays itself (a 500), never a 502 echoing its message', async () => {
    const client = new KomojuClient({ baseUrl: 'http://127.0.0.1:9', secretKey: 'sk_test_x' });
    client.getSession = () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'status')"));
    const provider = new KomojuPaymentProvider({ client, webhookSecret: 'wh' });
    const error = await provider.fetchStatus(REF).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ProviderError);
  });
});
