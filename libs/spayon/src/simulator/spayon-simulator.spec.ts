import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { ManualClock } from '@paymux/payments';
import { verifyCallbackSignature } from '../signature';
import { SpayonCallback } from '../types';
import { SANDBOX_CREDENTIALS, SpayonSandbox, startSpayonSandbox } from './sandbox';
import { SpayonSimulator } from './spayon-simulator';

const api = axios.create({ validateStatus: () => true });

describe('SpayonSimulator', () => {
  let sandbox: SpayonSandbox;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    sandbox = await startSpayonSandbox({ clock });
  });
  afterEach(() => sandbox.close());

  async function token(): Promise<string> {
    const answer = await api.post(`${sandbox.baseUrl}/api/tokens`, { client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret });
    return answer.data.access_token;
  }

  async function createSession(body: Record<string, unknown>, bearer?: string) {
    return api.post(`${sandbox.baseUrl}/api/product/session`, body, { headers: { authorization: `Bearer ${bearer ?? (await token())}` } });
  }

  const validCustom = (): Record<string, unknown> => ({
    product_name: 'Custom Product',
    price: 1000,
    currency: 'amd',
    callback_url: sandbox.callbackUrl,
    return_url: 'https://shop.example/thank-you?order=7',
    cancel_url: 'https://shop.example/cart',
  });

  async function newSession(extra: Record<string, unknown> = {}): Promise<string> {
    const answer = await createSession({ ...validCustom(), ...extra });
    expect(answer.status).toBe(200);
    return answer.data.session_id;
  }

  function callbackBodies(): SpayonCallback[] {
    return sandbox.receiver.received.map((callback) => JSON.parse(callback.rawBody.toString('utf8')));
  }

  describe('tokens', () => {
    it('issues a Bearer JWT valid for 3600 s', async () => {
      const answer = await api.post(`${sandbox.baseUrl}/api/tokens`, { client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret });
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'Bearer', expires_in: 3600 });
    });

    it.each([
      ['a wrong client secret', { client_id: SANDBOX_CREDENTIALS.clientId, client_secret: 'nope' }],
      ['an unknown client id', { client_id: 'someone', client_secret: SANDBOX_CREDENTIALS.clientSecret }],
      ['no credentials', {}],
    ])('answers 401 to %s', async (_label, body) => {
      expect((await api.post(`${sandbox.baseUrl}/api/tokens`, body)).status).toBe(401);
    });

    it('refuses session calls without a token, with an unknown token, and with an expired one', async () => {
      expect((await api.post(`${sandbox.baseUrl}/api/product/session`, validCustom())).status).toBe(401);
      expect((await createSession(validCustom(), 'forged')).status).toBe(401);
      const bearer = await token();
      clock.advance(3600 * 1000);
      expect((await createSession(validCustom(), bearer)).status).toBe(401);
    });
  });

  describe('create session validation', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['no callback_url', { callback_url: undefined }, 'callback_url is required'],
      ['no return_url', { return_url: undefined }, 'return_url is required'],
      ['a callback_url that is not a URL', { callback_url: 'not a url' }, 'callback_url must be a valid URL'],
      ['no product_name', { product_name: undefined }, 'product_name is required when product_id is absent'],
      ['no price', { price: undefined }, 'price is required when product_id is absent'],
      ['a price given as a string', { price: '1000' }, 'price must be a positive number'],
      ['a zero price', { price: 0 }, 'price must be a positive number'],
      ['a price with more decimals than the currency', { price: 10.555 }, 'price 10.555 is not a valid AMD amount'],
      ['no currency', { currency: undefined }, 'currency is required when product_id is absent'],
      ['a currency outside the list', { currency: 'JPY' }, 'currency must be one of AMD, RUB, USD, EUR, GBP'],
      ['a language outside the list', { language: 'de' }, 'language must be one of en, hy, ru'],
      ['an unknown payment method', { availablePaymentMethods: ['paypal'] }, 'availablePaymentMethods must be a non-empty array of visamaster, mir'],
      ['an empty method list', { availablePaymentMethods: [] }, 'availablePaymentMethods must be a non-empty array of visamaster, mir'],
      ['an unknown default method', { defaultPaymentMethod: 'amex' }, 'defaultPaymentMethod must be one of visamaster, mir'],
      ['a default method outside the list', { availablePaymentMethods: ['mir'], defaultPaymentMethod: 'visamaster' }, 'defaultPaymentMethod must be one of availablePaymentMethods'],
      ['a non-string email', { email: 42 }, 'email must be a string'],
    ])('answers 400 to a custom product with %s', async (_label, change, message) => {
      const answer = await createSession({ ...validCustom(), ...change });
      expect(answer.status).toBe(400);
      expect(answer.data.message).toContain(message);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown product_id', { product_id: 999 }, 'product_id 999 is not a product of this vendor'],
      ['a product_id that is not an integer', { product_id: '1' }, 'product_id must be an integer'],
      ['a product_id with a price', { product_id: 1, price: 10 }, 'product_id cannot be combined with price'],
    ])('answers 400 to %s', async (_label, product, message) => {
      const { product_name: _n, price: _p, currency: _c, ...common } = validCustom();
      const answer = await createSession({ ...common, ...product });
      expect(answer.status).toBe(400);
      expect(answer.data.message).toContain(message);
    });

    it('accepts the currency in lower case, as the docs example sends it', async () => {
      const id = await newSession({ currency: 'usd', price: 10.5 });
      expect(sandbox.simulator.session(id)).toMatchObject({ currency: 'USD', price: '10.5' });
    });

    it('accepts http URLs in staging mode but requires https for callback_url and return_url in production', async () => {
      expect((await createSession({ ...validCustom(), return_url: 'http://shop.example/thank-you' })).status).toBe(200);
      const production = await startSpayonSandbox({ production: true });
      try {
        const bearer = (await api.post(`${production.baseUrl}/api/tokens`, { client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret })).data.access_token;
        const send = (body: Record<string, unknown>) =>
          api.post(`${production.baseUrl}/api/product/session`, body, { headers: { authorization: `Bearer ${bearer}` } });
        const base = { ...validCustom(), callback_url: 'https://paymux.example/v1/webhooks/spayon', return_url: 'https://shop.example/done' };
        expect((await send(base)).status).toBe(200);
        expect((await send({ ...base, callback_url: 'http://paymux.example/cb' })).data.message).toContain('callback_url must use https in production');
        expect((await send({ ...base, return_url: 'http://shop.example/done' })).data.message).toContain('return_url must use https in production');
      } finally {
        await production.close();
      }
    });
  });

  describe('session status', () => {
    it('answers 404 for an unknown session', async () => {
      const answer = await api.get(`${sandbox.baseUrl}/api/product/session/nope`, { headers: { authorization: `Bearer ${await token()}` } });
      expect(answer.status).toBe(404);
    });
  });

  describe('hosted page', () => {
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual' as const,
    });

    async function openPage(id: string): Promise<{ url: string; html: string; status: number }> {
      const created = sandbox.simulator.session(id)!;
      const url = `${sandbox.baseUrl}/session/${created.id}`;
      const response = await fetch(url);
      return { url, html: await response.text(), status: response.status };
    }

    it('shows the product and price with Pay, Decline and Back; Pay redirects to return_url with session_id and sends a signed paid callback', async () => {
      const id = await newSession({ order_id: 'ORDER_1' });
      const page = await openPage(id);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Custom Product');
      expect(page.html).toContain('<p class="amount">1,000.00 AMD</p>');
      for (const button of ['>Pay 1,000.00 AMD<', '>Decline<', '>Back<']) expect(page.html).toContain(button);
      expect(page.html).toContain('> Visa / Mastercard</label>');
      expect(page.html).not.toContain('> visamaster</label>');

      const paid = await fetch(`${page.url}/pay`, form({ method: 'visamaster' }));
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe(`https://shop.example/thank-you?order=7&session_id=${id}`);

      const [callback] = await sandbox.receiver.waitFor(1);
      expect(verifyCallbackSignature(callback.rawBody, callback.headers['x-signature'] as string, SANDBOX_CREDENTIALS.callbackSecret)).toBe(true);
      expect(JSON.parse(callback.rawBody.toString())).toEqual({
        sessionId: id,
        status: 'paid',
        productName: 'Custom Product',
        price: '1000',
        currency: 'AMD',
        createdAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
        orderId: 'ORDER_1',
      });
    });

    it('Decline with a chosen code fails the session and the callback carries the decline reason', async () => {
      const id = await newSession();
      const page = await openPage(id);
      const declined = await fetch(`${page.url}/decline`, form({ code: '51' }));
      expect(declined.status).toBe(303);
      expect(declined.headers.get('location')).toContain(`session_id=${id}`);

      await sandbox.receiver.waitFor(1);
      expect(callbackBodies()[0]).toMatchObject({
        status: 'failed',
        declineReasons: [{ transactionId: expect.any(Number), responseCode: '51', responseReasonEn: 'Insufficient funds' }],
      });
    });

    it('a declined attempt the buyer retries keeps the session payable and lists every attempt on final failure', async () => {
      const id = await newSession();
      const page = await openPage(id);
      const retry = await fetch(`${page.url}/decline`, form({ code: '1A', retry: '1' }));
      expect(retry.status).toBe(303);
      expect(new URL(retry.headers.get('location')!, `${page.url}/decline`).toString()).toBe(page.url);
      const retryPage = (await openPage(id)).html;
      expect(retryPage).toContain('Your payment was declined: 3D-Secure authentication failed (code 1A). You can try again.');
      expect(retryPage).toContain('>Try again 1,000.00 AMD<');
      expect(sandbox.simulator.session(id)?.status).toBe('pending');
      await fetch(`${page.url}/decline`, form({ code: '05' }));

      await sandbox.receiver.waitFor(1);
      expect(callbackBodies()[0].declineReasons?.map((reason) => reason.responseCode)).toEqual(['1A', '05']);
    });

    it('Back redirects to cancel_url and leaves the session payable', async () => {
      const id = await newSession();
      const page = await openPage(id);
      const back = await fetch(`${page.url}/back`, form({}));
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe('https://shop.example/cart');
      expect(sandbox.simulator.session(id)?.status).toBe('pending');
      expect((await fetch(`${page.url}/pay`, form({}))).status).toBe(303);
      expect(sandbox.simulator.session(id)?.status).toBe('paid');
    });

    it('is single use: after payment the page says so and cannot pay or decline again', async () => {
      const id = await newSession();
      const page = await openPage(id);
      await fetch(`${page.url}/pay`, form({}));

      const again = await openPage(id);
      expect(again.status).toBe(409);
      expect(again.html).toContain('already been used');
      expect((await fetch(`${page.url}/pay`, form({}))).status).toBe(409);
      expect((await fetch(`${page.url}/decline`, form({ code: '05' }))).status).toBe(409);
      await sandbox.simulator.callbacks.idle();
      expect(sandbox.receiver.received).toHaveLength(1);
    });

    it('answers 404 for an unknown session page', async () => {
      expect((await fetch(`${sandbox.baseUrl}/session/unknown`)).status).toBe(404);
    });
  });

  describe('expiry', () => {
    it('a session is payable for 15 minutes, then expired with an expired callback and a page that says so', async () => {
      const id = await newSession();
      clock.advance(15 * 60_000 - 1);
      expect(sandbox.simulator.session(id)?.status).toBe('pending');

      clock.advance(1);
      const bearer = await token();
      const status = await api.get(`${sandbox.baseUrl}/api/product/session/${id}`, { headers: { authorization: `Bearer ${bearer}` } });
      expect(status.data).toMatchObject({ sessionId: id, status: 'expired' });
      const page = await fetch(`${sandbox.baseUrl}/session/${id}`);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('expired');

      await sandbox.receiver.waitFor(1);
      expect(callbackBodies()).toEqual([expect.objectContaining({ sessionId: id, status: 'expired' })]);
      expect(callbackBodies()[0].declineReasons).toBeUndefined();
    });

    it('expireNow expires a pending session at once', async () => {
      const id = await newSession();
      sandbox.simulator.expireNow(id);
      expect(sandbox.simulator.session(id)?.status).toBe('expired');
      expect(() => sandbox.simulator.pay(id)).toThrow('expired, not pending');
    });
  });

  describe('callbacks', () => {
    it('retries a callback the merchant does not acknowledge, up to 3 attempts in all', async () => {
      sandbox.receiver.defaultStatus = 500;
      const id = await newSession();
      sandbox.simulator.pay(id);
      await sandbox.simulator.callbacks.idle();
      expect(sandbox.receiver.received.map((callback) => callback.status)).toEqual([500, 500, 500]);
      expect(sandbox.simulator.callbacks.deliveries.map((delivery) => delivery.attempt)).toEqual([1, 2, 3]);
    });

    it('stops retrying once the merchant answers 2xx', async () => {
      sandbox.receiver.answerNext(503);
      const id = await newSession();
      sandbox.simulator.decline(id, '14');
      await sandbox.simulator.callbacks.idle();
      expect(sandbox.receiver.received.map((callback) => callback.status)).toEqual([503, 200]);
      expect(sandbox.receiver.received[0].rawBody.equals(sandbox.receiver.received[1].rawBody)).toBe(true);
    });

    it('sends every callback twice with the duplicates knob', async () => {
      sandbox.simulator.faults.set({ duplicateCallbacks: true });
      sandbox.simulator.pay(await newSession());
      await sandbox.simulator.callbacks.idle();
      expect(sandbox.receiver.received).toHaveLength(2);
      expect(sandbox.receiver.received[0].rawBody.equals(sandbox.receiver.received[1].rawBody)).toBe(true);
    });

    it('signs with a wrong key with the wrong-signature knob', async () => {
      sandbox.simulator.faults.set({ wrongSignature: true });
      sandbox.simulator.pay(await newSession());
      const [callback] = await sandbox.receiver.waitFor(1);
      expect(verifyCallbackSignature(callback.rawBody, callback.headers['x-signature'] as string, SANDBOX_CREDENTIALS.callbackSecret)).toBe(false);
    });

    it('reorders callbacks of different sessions with the out-of-order knob', async () => {
      sandbox.simulator.faults.set({ outOfOrderCallbacks: true });
      const first = await newSession();
      const second = await newSession();
      sandbox.simulator.pay(first);
      sandbox.simulator.decline(second, '05');
      await sandbox.receiver.waitFor(2);
      await sandbox.simulator.callbacks.idle();
      expect(callbackBodies().map((body) => body.sessionId)).toEqual([second, first]);
    });
  });

  describe('controls', () => {
    it('pays, declines and expires sessions over HTTP, and sets fault knobs', async () => {
      const [a, b, c] = [await newSession(), await newSession(), await newSession()];
      expect((await api.post(`${sandbox.baseUrl}/__control/sessions/${a}/pay`)).data.status).toBe('paid');
      expect((await api.post(`${sandbox.baseUrl}/__control/sessions/${b}/decline`, { code: 'SP-01' })).data).toMatchObject({
        status: 'failed',
        declineReasons: [{ responseCode: 'SP-01' }],
      });
      expect((await api.post(`${sandbox.baseUrl}/__control/sessions/${c}/expire`)).data.status).toBe('expired');
      expect((await api.post(`${sandbox.baseUrl}/__control/sessions/${c}/pay`)).status).toBe(409);
      expect((await api.post(`${sandbox.baseUrl}/__faults`, { latencyMs: 1 })).data.latencyMs).toBe(1);
    });

    it('adds a product to the catalogue over HTTP and refuses a currency Spayon does not sell in', async () => {
      expect((await api.post(`${sandbox.baseUrl}/__control/products`, { id: 5, name: 'Ticket', price: '12.50', currency: 'EUR' })).status).toBe(200);
      const { product_name: _n, price: _p, currency: _c, ...common } = validCustom();
      const id = (await createSession({ ...common, product_id: 5 })).data.session_id;
      expect(sandbox.simulator.session(id)).toMatchObject({ productName: 'Ticket', price: '12.50', currency: 'EUR' });
      expect((await api.post(`${sandbox.baseUrl}/__control/products`, { id: 6, name: 'Yen', price: '100', currency: 'JPY' })).status).toBe(400);
    });

    it('counts API requests by endpoint', async () => {
      const id = await newSession();
      await api.get(`${sandbox.baseUrl}/api/product/session/${id}`);
      expect(sandbox.simulator.requests).toEqual({ tokens: 1, createSession: 1, getSession: 1 });
    });
  });

  describe('mounted in another server', () => {
    let host: Server;
    let simulator: SpayonSimulator;

    afterEach(async () => {
      await simulator.close();
      host.closeAllConnections();
      await new Promise((resolve) => host.close(resolve));
    });

    it('serves the API and the hosted page under its base path', async () => {
      simulator = new SpayonSimulator({ ...SANDBOX_CREDENTIALS, basePath: '/simulators/spayon' });
      host = createServer((req, res) => {
        if (simulator.http.owns(req.url)) void simulator.http.handle(req, res);
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      const baseUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/simulators/spayon`;

      const bearer = (await api.post(`${baseUrl}/api/tokens`, { client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret })).data.access_token;
      const created = await api.post(`${baseUrl}/api/product/session`, { ...validCustom(), callback_url: sandbox.callbackUrl }, { headers: { authorization: `Bearer ${bearer}` } });
      expect(created.data.session_url).toBe(`${baseUrl}/session/${created.data.session_id}`);

      const page = await fetch(created.data.session_url);
      expect(page.status).toBe(200);
      const paid = await fetch(`${created.data.session_url}/pay`, { method: 'POST', redirect: 'manual' });
      expect(paid.status).toBe(303);
      expect(simulator.session(created.data.session_id)?.status).toBe('paid');
    });
  });
});
