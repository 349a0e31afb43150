import { verifySignature } from '@paymux/webhook-signature';
import { DEVELOPMENT_CALLBACK_SIGNING_SECRET } from '../../src/config/config';
import { DeliveryAttempt } from '../../src/notifications/delivery-attempt.entity';
import { Delivery } from '../../src/notifications/delivery.entity';
import { Event } from '../../src/notifications/event.entity';
import { EVENT_TYPES } from '../../src/notifications/outbox';
import { Session } from '../../src/sessions/session.entity';
import { SessionTransitions } from '../../src/sessions/session-transitions';
import { apiError, startTestApp, TestApp } from '../support/app';
import { Answer, answerOk, clockOf, deliverNow, deliveriesOf, insertSession, Receiver, startReceiver, transition } from '../support/notifications';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TIMEOUT_MS = 600;

/** Answers like a merchant's handler: 200 only for a body signed with `secret` (checked against `now`). */
function merchant(secret: () => string, now: () => number = () => Math.floor(Date.now() / 1000)): Answer {
  return (request, response) => {
    const valid = verifySignature(request.rawBody, request.headers['paymux-signature'], secret(), 300, now());
    response.writeHead(valid ? 200 : 400).end(valid ? 'ok' : 'bad signature');
  };
}

describe('outbound notifications', () => {
  let app: TestApp;
  const receivers: Receiver[] = [];
  const receiver = async (answer?: Answer) => {
    const created = await startReceiver(answer);
    receivers.push(created);
    return created;
  };
  const createEndpoint = async (url: string, extra: object = {}) => (await app.api().post('/v1/webhook-endpoints', { url, ...extra }).expect(201)).body;
  const eventsOf = (sessionId: string) => app.em().find(Event, { sessionId }, { orderBy: { id: 'asc' } });

  beforeAll(async () => (app = await startTestApp({ NOTIFICATIONS_TIMEOUT_MS: String(TIMEOUT_MS) })));
  afterAll(() => app.close());
  afterEach(async () => {
    // Each test starts with no endpoint and nothing left to deliver.
    const endpoints = (await app.api().get('/v1/webhook-endpoints?limit=100').expect(200)).body.data as Array<{ id: string }>;
    for (const endpoint of endpoints) await app.api().delete(`/v1/webhook-endpoints/${endpoint.id}`).expect(200);
    await app.em().nativeUpdate(Delivery, { state: 'pending' }, { state: 'failed', nextAttemptAt: null });
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    clockOf(app).reset();
  });

  describe('events', () => {
    it('a status change stores one event with the session in the same transaction; a rolled-back change stores none', async () => {
      const session = await insertSession(app);
      await transition(app, session.id, 'processing');
      const [event] = await eventsOf(session.id);
      expect(event.type).toBe('session.processing');
      expect(JSON.parse(event.payload)).toEqual({
        id: event.id, object: 'event', type: 'session.processing', created_at: event.createdAt.toISOString(),
        data: { object: expect.objectContaining({ id: session.id, object: 'session', status: 'processing' }) },
      });
      expect(event.id).toMatch(/^evt_[0-9A-Z]{26}$/);

      const transitions = app.paymux.app.get(SessionTransitions);
      await expect(
        app.em().transactional(async (tx) => {
          await transitions.transition(session.id, { to: 'succeeded', source: 'webhook' }, tx);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await eventsOf(session.id)).map((e) => e.type)).toEqual(['session.processing']);
      expect((await app.em().findOneOrFail(Session, { id: session.id })).status).toBe('processing');
    });
  });

  describe('delivery', () => {
    it('delivers each event once to every enabled endpoint and to the callback_url, signed so the merchant helper verifies it', async () => {
      const secrets: Record<string, string> = {};
      const all = await receiver(merchant(() => secrets.all));
      const paidOnly = await receiver(merchant(() => secrets.paidOnly));
      const failedOnly = await receiver(merchant(() => secrets.failedOnly));
      const callback = await receiver(merchant(() => DEVELOPMENT_CALLBACK_SIGNING_SECRET));
      secrets.all = (await createEndpoint(`${all.url}/hooks?shop=1`)).secret;
      secrets.paidOnly = (await createEndpoint(paidOnly.url, { enabled_events: ['session.succeeded'] })).secret;
      secrets.failedOnly = (await createEndpoint(failedOnly.url, { enabled_events: ['session.failed'] })).secret;

      const session = await insertSession(app, { callbackUrl: `${callback.url}/paymux` });
      await transition(app, session.id, 'processing');
      await transition(app, session.id, 'succeeded');
      const events = await eventsOf(session.id);

      expect(await deliverNow(app)).toEqual({ examined: 5, changed: 5 });
      expect(await deliverNow(app)).toEqual({ examined: 0, changed: 0 });

      expect(all.requests.map((r) => r.path)).toEqual(['/hooks?shop=1', '/hooks?shop=1']);
      expect(paidOnly.requests).toHaveLength(1);
      expect(failedOnly.requests).toHaveLength(0);
      expect(callback.requests.map((r) => r.path)).toEqual(['/paymux', '/paymux']);
      expect(new Set(all.requests.map((r) => r.rawBody.toString()))).toEqual(new Set(events.map((e) => e.payload)));
      expect(paidOnly.requests[0].rawBody.toString()).toBe(events[1].payload);
      for (const request of [...all.requests, ...paidOnly.requests, ...callback.requests]) {
        expect(request.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'paymux' });
        expect(request.headers['paymux-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      }
      // Another endpoint's secret does not verify.
      expect(verifySignature(paidOnly.requests[0].rawBody, paidOnly.requests[0].headers['paymux-signature'], secrets.all)).toBe(false);

      const deliveries = await app.em().find(Delivery, { eventId: { $in: events.map((e) => e.id) } });
      expect(deliveries).toHaveLength(5);
      expect(deliveries.every((d) => d.state === 'delivered' && d.attempts === 1 && d.lockedUntil === null)).toBe(true);
    });

    it('retries a 500, a timeout and a reset on the schedule, then delivers once on the first 2xx', async () => {
      const clock = clockOf(app);
      clock.freeze();
      let healthy = false;
      const now = () => Math.floor(clock.now().getTime() / 1000);
      const secrets: string[] = [];
      const fail500: Answer = (_req, res) => res.writeHead(500).end('boom');
      const hang: Answer = () => undefined;
      const reset: Answer = (_req, res) => res.socket?.destroy();
      const answers = [fail500, hang, reset].map((failure, i) => ((req, res, n) => (healthy ? merchant(() => secrets[i], now)(req, res, n) : failure(req, res, n))) as Answer);
      const targets = await Promise.all(answers.map((answer) => receiver(answer)));
      for (const target of targets) secrets.push((await createEndpoint(target.url)).secret);

      const session = await insertSession(app);
      await transition(app, session.id, 'processing');
      const [event] = await eventsOf(session.id);
      const expectDueIn = async (min: number) => {
        for (const delivery of await deliveriesOf(app, event.id)) {
          expect(delivery.state).toBe('pending');
          const wait = delivery.nextAttemptAt!.getTime() - clock.now().getTime();
          expect(wait).toBeGreaterThanOrEqual(min);
          expect(wait).toBeLessThanOrEqual(min * 1.1);
        }
      };

      const started = Date.now();
      await deliverNow(app);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2000);
      await expectDueIn(1 * MINUTE);
      await deliverNow(app);
      expect(targets.map((t) => t.requests.length)).toEqual([1, 1, 1]);

      clock.advance(1.1 * MINUTE);
      await deliverNow(app);
      await expectDueIn(5 * MINUTE);
      clock.advance(5.5 * MINUTE);
      await deliverNow(app);
      await expectDueIn(30 * MINUTE);
      expect(targets.map((t) => t.requests.length)).toEqual([3, 3, 3]);

      healthy = true;
      clock.advance(33 * MINUTE);
      await deliverNow(app);
      clock.advance(10 * HOUR);
      await deliverNow(app);
      expect(targets.map((t) => t.requests.length)).toEqual([4, 4, 4]);

      const { body } = await app.api().get(`/v1/events/${event.id}`).expect(200);
      const byEndpoint = new Map(body.deliveries.map((d: { url: string }) => [d.url, d]));
      const attemptsOf = (target: Receiver) => (byEndpoint.get(target.url) as { state: string; attempts: Array<Record<string, unknown>> });
      for (const target of targets) expect(attemptsOf(target).state).toBe('delivered');
      expect(attemptsOf(targets[0]).attempts.map((a) => a.status_code)).toEqual([500, 500, 500, 200]);
      expect(attemptsOf(targets[0]).attempts[0]).toMatchObject({ attempt: 1, response_body: 'boom', error: null, duration_ms: expect.any(Number) });
      expect(attemptsOf(targets[1]).attempts.slice(0, 3)).toEqual(Array(3).fill(expect.objectContaining({ status_code: null, error: expect.stringMatching(/no complete answer within 600 ms/) })));
      expect(attemptsOf(targets[2]).attempts.slice(0, 3)).toEqual(Array(3).fill(expect.objectContaining({ status_code: null, error: expect.stringMatching(/ECONNRESET|socket hang up/) })));
      expect(attemptsOf(targets[2]).attempts[3]).toMatchObject({ attempt: 4, status_code: 200, response_body: 'ok' });
    });

    it('does not follow redirects: a 3xx is a failed attempt and the target is never called', async () => {
      const elsewhere = await receiver();
      const redirecting = await receiver((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/stolen` }).end());
      await createEndpoint(redirecting.url);
      const session = await insertSession(app);
      await transition(app, session.id, 'processing');
      await deliverNow(app);
      const [delivery] = await deliveriesOf(app, (await eventsOf(session.id))[0].id);
      expect(delivery).toMatchObject({ state: 'pending', attempts: 1 });
      expect((await app.em().findOneOrFail(DeliveryAttempt, { deliveryId: delivery.id })).statusCode).toBe(302);
      expect(elsewhere.connections).toBe(0);
    });

    it('bounds a huge answer and a slow-loris answer: the worker finishes within the timeout', async () => {
      let streamed = 0;
      const huge = await receiver((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (!res.destroyed && streamed < 512 * 1024 * 1024) {
            streamed += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
        };
        pump();
      });
      const drips: NodeJS.Timeout[] = [];
      const loris = await receiver((_req, res) => {
        // A status line, then one header byte at a time, never finishing the head.
        res.socket!.write('HTTP/1.1 200 OK\r\nX-Slow: ');
        drips.push(setInterval(() => res.socket?.writable && res.socket.write('a'), 50));
      });
      await createEndpoint(huge.url);
      await createEndpoint(loris.url);
      const session = await insertSession(app);
      await transition(app, session.id, 'processing');

      const started = Date.now();
      await deliverNow(app);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2000);
      drips.forEach(clearInterval);
      expect(streamed).toBeLessThan(64 * 1024 * 1024);

      const { body } = await app.api().get(`/v1/events/${(await eventsOf(session.id))[0].id}`).expect(200);
      const byUrl = new Map(body.deliveries.map((d: { url: string }) => [d.url, d]));
      expect(byUrl.get(huge.url)).toMatchObject({ state: 'delivered', attempts: [expect.objectContaining({ status_code: 200, response_body: 'x'.repeat(1024) })] });
      expect(byUrl.get(loris.url)).toMatchObject({ state: 'pending', attempts: [expect.objectContaining({ status_code: null, error: expect.stringMatching(/within 600 ms/) })] });
    });

    it('gives up as failed 3 days after the event, and a redelivery sends it again (failed and delivered ones alike)', async () => {
      const clock = clockOf(app);
      clock.freeze();
      let healthy = false;
      const target = await receiver((req, res, n) => (healthy ? answerOk(req, res, n) : res.writeHead(503).end()));
      await createEndpoint(target.url);
      const session = await insertSession(app);
      await transition(app, session.id, 'processing');
      const [event] = await eventsOf(session.id);

      const attemptTimes: number[] = [];
      for (let i = 0; i < 40; i++) {
        attemptTimes.push(clock.now().getTime());
        await deliverNow(app);
        const [delivery] = await deliveriesOf(app, event.id);
        if (delivery.state !== 'pending') break;
        clock.freeze(delivery.nextAttemptAt!);
      }
      const [failed] = await deliveriesOf(app, event.id);
      expect(failed).toMatchObject({ state: 'failed', nextAttemptAt: null, attempts: attemptTimes.length });
      expect(target.requests).toHaveLength(attemptTimes.length);
      const gaps = attemptTimes.slice(1).map((t, i) => t - attemptTimes[i]);
      [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, ...Array(gaps.length - 4).fill(6 * HOUR)].forEach((base, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(base);
        expect(gaps[i]).toBeLessThanOrEqual(base * 1.1);
      });
      const last = attemptTimes[attemptTimes.length - 1] - event.createdAt.getTime();
      expect(last).toBeLessThanOrEqual(3 * 24 * HOUR);
      expect(last).toBeGreaterThan(3 * 24 * HOUR - 6.6 * HOUR);

      healthy = true;
      const redelivered = await app.api().post(`/v1/events/${event.id}/redeliver`).expect(200);
      expect(redelivered.body.deliveries).toEqual([expect.objectContaining({ state: 'pending', next_attempt_at: clock.now().toISOString() })]);
      await deliverNow(app);
      expect((await deliveriesOf(app, event.id))[0]).toMatchObject({ state: 'delivered', attempts: attemptTimes.length + 1 });

      await app.api().post(`/v1/events/${event.id}/redeliver`).expect(200);
      await deliverNow(app);
      expect(target.requests).toHaveLength(attemptTimes.length + 2);
      expect((await deliveriesOf(app, event.id))[0].state).toBe('delivered');
    });

    it('sends nothing more to a deleted endpoint, pending deliveries and redeliveries included', async () => {
      const target = await receiver();
      const kept = await receiver();
      const endpoint = await createEndpoint(target.url);
      await createEndpoint(kept.url);
      const session = await insertSession(app);
      await transition(app, session.id, 'processing');
      await app.api().delete(`/v1/webhook-endpoints/${endpoint.id}`).expect(200);
      await deliverNow(app);
      const [event] = await eventsOf(session.id);
      await app.api().post(`/v1/events/${event.id}/redeliver`).expect(200);
      await deliverNow(app);
      expect(target.connections).toBe(0);
      expect(kept.requests).toHaveLength(2);
      await transition(app, session.id, 'succeeded');
      await deliverNow(app);
      expect(target.connections).toBe(0);
      expect(kept.requests).toHaveLength(3);
    });
  });

  describe('events API', () => {
    it('lists events newest first, filtered by type and session, paginated; shows one with its deliveries; 404s unknown ids', async () => {
      const target = await receiver();
      await createEndpoint(target.url);
      const first = await insertSession(app);
      const second = await insertSession(app);
      await transition(app, first.id, 'processing');
      await transition(app, first.id, 'succeeded');
      await transition(app, second.id, 'cancelled');
      await deliverNow(app);

      const mine = (await app.api().get(`/v1/events?session_id=${first.id}`).expect(200)).body;
      expect(mine).toMatchObject({ object: 'list', has_more: false });
      expect(mine.data.map((e: { type: string }) => e.type)).toEqual(['session.succeeded', 'session.processing']);
      expect(mine.data[0]).toEqual({ id: expect.stringMatching(/^evt_/), object: 'event', type: 'session.succeeded', created_at: expect.any(String), data: { object: expect.objectContaining({ id: first.id, status: 'succeeded' }) } });

      const cancelled = (await app.api().get('/v1/events?type=session.cancelled').expect(200)).body.data;
      expect(cancelled.map((e: { data: { object: { id: string } } }) => e.data.object.id)).toContain(second.id);
      expect(cancelled.every((e: { type: string }) => e.type === 'session.cancelled')).toBe(true);

      const page = (await app.api().get('/v1/events?limit=1').expect(200)).body;
      expect(page).toMatchObject({ has_more: true, data: [expect.objectContaining({ type: 'session.cancelled' })] });
      const next = (await app.api().get(`/v1/events?limit=1&starting_after=${page.data[0].id}`).expect(200)).body;
      expect(next.data[0].id < page.data[0].id).toBe(true);

      const one = (await app.api().get(`/v1/events/${mine.data[0].id}`).expect(200)).body;
      expect(one).toEqual({
        ...mine.data[0],
        deliveries: [{
          id: expect.stringMatching(/^dlv_/), object: 'delivery', endpoint_id: expect.stringMatching(/^we_/), url: target.url, state: 'delivered',
          attempt_count: 1, next_attempt_at: null, delivered_at: expect.any(String), created_at: expect.any(String),
          attempts: [{ attempt: 1, status_code: 200, duration_ms: expect.any(Number), response_body: 'ok', error: null, created_at: expect.any(String) }],
        }],
      });

      await app.api().get('/v1/events/evt_01JD0000000000000000000000').expect(404);
      await app.api().get('/v1/events/sess_123').expect(404);
      await app.api().post('/v1/events/evt_01JD0000000000000000000000/redeliver').expect(404);
      expect((await app.api().get('/v1/events?type=session.paid').expect(400)).body).toEqual(apiError('invalid_request_error', { param: 'type' }));
      expect((await app.api().get('/v1/events?colour=red').expect(400)).body).toEqual(apiError('invalid_request_error', { param: 'colour' }));
    });
  });

  describe('webhook endpoints API', () => {
    it('shows the secret once, at creation, and defaults to every event type', async () => {
      const created = await app.api().post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks', description: 'shop' }).expect(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^we_/), object: 'webhook_endpoint', url: 'http://127.0.0.1:9/hooks', enabled_events: [...EVENT_TYPES],
        description: 'shop', secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/), created_at: expect.any(String),
      });
      const { secret, ...shown } = created.body;
      const got = await app.api().get(`/v1/webhook-endpoints/${created.body.id}`).expect(200);
      expect(got.body).toEqual(shown);
      const list = await app.api().get('/v1/webhook-endpoints').expect(200);
      expect(list.body).toEqual({ object: 'list', data: [shown], has_more: false });
      for (const text of [got.text, list.text]) expect(text).not.toContain(secret);

      const deleted = await app.api().delete(`/v1/webhook-endpoints/${created.body.id}`).expect(200);
      expect(deleted.body).toEqual({ ...shown, deleted: true });
      expect(deleted.text).not.toContain(secret);
      await app.api().get(`/v1/webhook-endpoints/${created.body.id}`).expect(404);
      await app.api().delete(`/v1/webhook-endpoints/${created.body.id}`).expect(404);
      expect((await app.api().get('/v1/webhook-endpoints').expect(200)).body.data).toEqual([]);
    });

    it('paginates newest first', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await createEndpoint(`http://127.0.0.1:9/${i}`)).id);
      const page = (await app.api().get('/v1/webhook-endpoints?limit=2').expect(200)).body;
      expect(page.data.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
      expect(page.has_more).toBe(true);
      const rest = (await app.api().get(`/v1/webhook-endpoints?limit=2&starting_after=${ids[1]}`).expect(200)).body;
      expect(rest).toMatchObject({ has_more: false, data: [expect.objectContaining({ id: ids[0] })] });
    });

    it.each([
      ['url', {}],
      ['url', { url: 'ftp://example.com/hooks' }],
      ['url', { url: 'not a url' }],
      ['url', { url: `https://example.com/${'a'.repeat(2048)}` }],
      ['enabled_events', { url: 'http://127.0.0.1:9', enabled_events: ['session.paid'] }],
      ['enabled_events', { url: 'http://127.0.0.1:9', enabled_events: [] }],
      ['enabled_events', { url: 'http://127.0.0.1:9', enabled_events: 'session.failed' }],
      ['enabled_events', { url: 'http://127.0.0.1:9', enabled_events: ['session.failed', 'session.failed'] }],
      ['description', { url: 'http://127.0.0.1:9', description: 'd'.repeat(501) }],
      ['secret', { url: 'http://127.0.0.1:9', secret: 'whsec_mine' }],
    ])('rejects a bad %s (case %#) with a 400 naming it', async (param, body) => {
      const res = await app.api().post('/v1/webhook-endpoints', body).expect(400);
      expect(res.body).toEqual(apiError('invalid_request_error', { param }));
    });

    it('answers 404 for unknown and malformed ids, and 401 without an API key', async () => {
      await app.api().get('/v1/webhook-endpoints/we_01JD0000000000000000000000').expect(404);
      await app.api().get('/v1/webhook-endpoints/123').expect(404);
      const res = await fetch(`${app.url}/v1/webhook-endpoints`);
      expect(res.status).toBe(401);
    });
  });
});
