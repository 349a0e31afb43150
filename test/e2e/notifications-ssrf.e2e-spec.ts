import { DeliveryAttempt } from '../../src/notifications/delivery-attempt.entity';
import { Delivery } from '../../src/notifications/delivery.entity';
import { Event } from '../../src/notifications/event.entity';
import { HostResolver, ResolvedAddress } from '../../src/notifications/host-resolver';
import { apiError, startTestApp, TestApp } from '../support/app';
import { deliverNow, insertSession, Receiver, startReceiver, transition } from '../support/notifications';

const PUBLIC_IP = '93.184.216.34';

/** A production app whose DNS answers come from `dns` (a name missing from it does not resolve). */
describe('webhook destinations in production (SSRF)', () => {
  let app: TestApp;
  let receiver: Receiver;
  const dns = new Map<string, string[]>();

  beforeAll(async () => {
    app = await startTestApp({ NODE_ENV: 'production', ADMIN_ENABLED: 'false', NOTIFICATIONS_SIGNING_SECRET: 'whsec_production_callback_secret_0123456789' });
    jest.spyOn(app.paymux.app.get(HostResolver), 'resolve').mockImplementation(async (hostname: string): Promise<ResolvedAddress[]> => {
      const bare = hostname.replace(/^\[|\]$/g, '');
      if (/^[\d.]+$/.test(bare) || bare.includes(':')) return [{ address: bare, family: bare.includes(':') ? 6 : 4 }];
      const answers = dns.get(bare);
      if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${bare}`), { code: 'ENOTFOUND' });
      return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await app.close();
  });
  afterEach(() => dns.clear());

  it.each([
    ['http://hooks.example.com/paymux', /must use https in production/],
    ['https://127.0.0.1/hooks', /127\.0\.0\.1 \(loopback\)/],
    ['https://[::1]/hooks', /\(loopback\)/],
    ['https://[::ffff:127.0.0.1]/hooks', /\(loopback\)/],
    ['https://10.0.0.8/hooks', /\(private\)/],
    ['https://172.20.1.1/hooks', /\(private\)/],
    ['https://192.168.0.10/hooks', /\(private\)/],
    ['https://[fd12:3456::1]/hooks', /\(private\)/],
    ['https://169.254.10.1/hooks', /\(link-local\)/],
    ['https://[fe80::1]/hooks', /\(link-local\)/],
    ['https://100.64.1.1/hooks', /\(shared \(CGNAT\)\)/],
    ['https://0.0.0.0/hooks', /\(unspecified\)/],
    ['https://224.0.0.1/hooks', /\(multicast\)/],
    ['https://169.254.169.254/latest/meta-data', /\(metadata\)/],
    ['https://[fd00:ec2::254]/latest/meta-data', /\(metadata\)/],
    ['https://localhost/hooks', /\(loopback\)/],
    ['https://mixed.example.com/hooks', /10\.1\.1\.1 \(private\)/],
    ['https://nowhere.example.com/hooks', /could not be resolved/],
    ['https://[::7f00:1]/hooks', /\(reserved\)/],
    ['https://[::ffff:0:7f00:1]/hooks', /\(reserved\)/],
    ['https://[64:ff9b:1::7f00:1]/hooks', /\(reserved\)/],
    ['https://[2002:7f00:1::]/hooks', /\(reserved\)/],
    ['https://[100::1]/hooks', /\(reserved\)/],
    ['https://192.0.2.1/hooks', /\(documentation\)/],
    ['https://user:pass@hooks.example.com/hooks', /without credentials/],
  ])('rejects %s at creation with a 400 naming url', async (url, message) => {
    dns.set('localhost', ['127.0.0.1', '::1']);
    dns.set('mixed.example.com', [PUBLIC_IP, '10.1.1.1']);
    const res = await app.api().post('/v1/webhook-endpoints', { url }).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { param: 'url', code: 'parameter_invalid' }));
    expect(res.body.error.message).toMatch(message);
  });

  it.each([
    ['https://127.0.0.1/notify', /\(loopback\)/],
    ['https://[::ffff:0:7f00:1]/notify', /\(reserved\)/],
    ['https://192.0.2.1/notify', /\(documentation\)/],
    ['https://nowhere.example.com/notify', /could not be resolved/],
    ['https://user:pass@hooks.example.com/notify', /without credentials/],
  ])('rejects a session callback_url of %s at creation with a 400 naming callback_url', async (callbackUrl, message) => {
    const body = { amount: 1000, currency: 'USD', return_url: 'https://shop.example/thanks', callback_url: callbackUrl };
    const res = await app.api().post('/v1/sessions', body).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error', { param: 'callback_url' }));
    expect(res.body.error.message).toMatch(message);
  });

  it('accepts an https URL whose every address is public', async () => {
    dns.set('hooks.example.com', [PUBLIC_IP, '2606:2800:220:1:248:1893:25c8:1946']);
    await app.api().post('/v1/webhook-endpoints', { url: 'https://hooks.example.com/paymux' }).expect(201);
    await app.api().post('/v1/webhook-endpoints', { url: `https://${PUBLIC_IP}/paymux` }).expect(201);
  });

  it('checks again at delivery and never connects when the name now resolves to a forbidden address (DNS rebinding)', async () => {
    const port = new URL(receiver.url).port;
    dns.set('rebind.example.com', [PUBLIC_IP]);
    const endpoint = (await app.api().post('/v1/webhook-endpoints', { url: `https://rebind.example.com:${port}/hooks` }).expect(201)).body;
    // The callback_url of a session goes through the same check.
    const session = await insertSession(app, { callbackUrl: `https://callback.example.com:${port}/paymux` });
    await transition(app, session.id, 'processing');

    dns.set('rebind.example.com', ['127.0.0.1']);
    dns.set('callback.example.com', ['169.254.169.254']);
    await deliverNow(app);

    expect(receiver.connections).toBe(0);
    const [event] = await app.em().find(Event, { sessionId: session.id });
    const deliveries = await app.em().find(Delivery, { eventId: event.id }, { orderBy: { id: 'asc' } });
    expect(deliveries.map((d) => [d.endpointId, d.state, d.attempts])).toEqual(
      expect.arrayContaining([[endpoint.id, 'pending', 1], [null, 'pending', 1]]),
    );
    const errors = (await app.em().find(DeliveryAttempt, { eventId: event.id })).map((a) => a.error);
    expect(errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/127\.0\.0\.1 \(loopback\)/), expect.stringMatching(/169\.254\.169\.254 \(metadata\)/)]),
    );
    await app.api().delete(`/v1/webhook-endpoints/${endpoint.id}`).expect(200);
  });
});

describe('callback_url deliveries in production without NOTIFICATIONS_SIGNING_SECRET', () => {
  it('holds them, recorded and retried, instead of sending them unsigned', async () => {
    const app = await startTestApp({ NODE_ENV: 'production', ADMIN_ENABLED: 'false' });
    const receiver = await startReceiver();
    try {
      const session = await insertSession(app, { callbackUrl: `https://callback.example.com:${new URL(receiver.url).port}/paymux` });
      await transition(app, session.id, 'processing');
      await deliverNow(app);
      const [delivery] = await app.em().find(Delivery, {});
      expect(delivery).toMatchObject({ state: 'pending', attempts: 1 });
      expect((await app.em().findOneOrFail(DeliveryAttempt, { deliveryId: delivery.id })).error).toMatch(/NOTIFICATIONS_SIGNING_SECRET is not set/);
      expect(receiver.connections).toBe(0);
    } finally {
      await receiver.close();
      await app.close();
    }
  });
});
