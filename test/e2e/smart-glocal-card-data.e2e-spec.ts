import { SMART_GLOCAL_METHODS, TEST_CARDS } from '@paymux/smart-glocal';
import request from 'supertest';
const SMART_GLOCAL_SIMULATOR_PREFIX = '/simulators/smart-glocal';
import { Session } from '../../src/sessions/session.entity';
import { apiError, startLoggedTestApp, TestApp } from '../support/app';
import { followReturn } from '../support/buyer-return';
import { dumpAllTables } from '../support/database';
import { BAD_LUHN_PAN, card, CVC, eventsOf, fastResends, PAN, RETURN_URL, sessionBody, simulatorCalls, simulatorOf, waitForStatus } from '../support/smart-glocal';
import { waitFor } from '../support/wait';
import type { StdoutCapture } from '../support/stdout';

describe('Smart Glocal, server-to-server card payments (SMART_GLOCAL_ALLOW_CARD_DATA=true)', () => {
  let app: TestApp;
  let log: StdoutCapture;
  beforeAll(async () => {
    ({ app, log } = await startLoggedTestApp({ SMART_GLOCAL_ALLOW_CARD_DATA: 'true', LOG_LEVEL: 'debug', PROVIDER_TIMEOUT_MS: '300' }));
    fastResends(app);
  });
  afterAll(async () => {
    await app?.close();
    log.stop();
  });
  afterEach(() => simulatorOf(app).faults.reset());

  const answers: string[] = [];
  const create = async (body: Record<string, unknown>, status: number, idempotencyKey?: string) => {
    const req = app.api().post('/v1/sessions', body);
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    const res = await req.expect(status);
    answers.push(res.text);
    return res;
  };

  it('pays a card without 3-D Secure: paymux confirms on ready_to_confirm, succeeded by notification, and its page sends the buyer back', async () => {
    const before = simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.initPayment);
    const created = (await create(sessionBody({ payment_details: card(PAN) }), 201, 'sg-s2s-plain')).body;
    expect(created).toMatchObject({ provider: 'smart_glocal', redirect_url: `${app.url}/pay/${created.id}` });
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.initPayment)).toBe(before + 1);
    expect(simulatorOf(app).getSession(created.provider_session_id).acquiring_payments[0].payment_details).toEqual({
      type: 'card',
      card: { brand: 'visa', last4: PAN.slice(-4) },
    });
    await waitForStatus(app, created.id, 'succeeded');
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'processing', 'webhook'], ['processing', 'succeeded', 'webhook']]);
    const back = await request(created.redirect_url).get('').expect(303);
    expect(await followReturn(app.url, created.id, back.headers.location)).toBe(`${RETURN_URL}?paymux_session_id=${created.id}`);
    answers.push((await app.api().get(`/v1/sessions/${created.id}`)).text, (await app.api().get(`/v1/sessions/${created.id}/events`)).text);
  });

  it.each([
    ['passing 3-D Secure makes it succeeded', 'pass', 'succeeded'],
    ['failing 3-D Secure makes it failed', 'fail', 'failed'],
  ])('%s: after confirm, paymux’s page hands over to 3-D Secure (action_required) with an auto-submitting form', async (_name, result, expected) => {
    const created = (await create(sessionBody({ payment_details: card(TEST_CARDS.requires3ds) }), 201)).body;
    expect(created.redirect_url).toBe(`${app.url}/pay/${created.id}`);

    // ready_to_confirm is answered with session/confirm; then Smart Glocal asks for 3-D Secure.
    const page = await waitFor(async () => {
      const html = (await request(created.redirect_url).get('').expect(200)).text;
      return html.includes('id="three-ds"') ? html : null;
    });
    const action = /<form id="three-ds" method="post" action="([^"]+)">/.exec(page)![1].replace(/&amp;/g, '&');
    expect(action).toMatch(new RegExp(`^${app.url}${SMART_GLOCAL_SIMULATOR_PREFIX}/3ds/pm_[0-9a-f]+\\?session=${created.provider_session_id}$`));
    const md = /name="MD" value="([^"]+)"/.exec(page)![1];
    const paReq = /name="PaReq" value="([^"]+)"/.exec(page)![1];
    expect((await request(action).post('').type('form').send({ PaReq: paReq, MD: md }).expect(200)).text).toContain('3-D Secure');
    // ready_to_confirm is confirmed first and recorded right after: processing by the time the buyer is at the bank.
    await waitForStatus(app, created.id, 'processing');

    const back = await request(action).post('').type('form').send({ result }).expect(303);
    // Back to paymux's pay page, which shows the outcome.
    expect(back.headers.location).toBe(created.redirect_url);

    const done = await waitForStatus(app, created.id, expected);
    if (expected === 'failed') {
      expect(done.failure).toEqual({ code: 'three_d_secure_failed', message: expect.any(String), source: 'smart_glocal' });
      expect((await request(created.redirect_url).get('').expect(200)).text).toContain('<h1>Payment declined</h1><p>The buyer did not pass 3-D Secure</p>');
    } else {
      const paid = await request(created.redirect_url).get('').expect(303);
      expect(await followReturn(app.url, created.id, paid.headers.location)).toBe(`${RETURN_URL}?paymux_session_id=${created.id}`);
    }
    expect(await eventsOf(app, created.id)).toEqual([[null, 'open', 'api'], ['open', 'processing', 'webhook'], ['processing', expected, 'webhook']]);
  });

  it('a declined card makes the session failed with the decline reason', async () => {
    const created = (await create(sessionBody({ payment_details: card(TEST_CARDS.declined) }), 201)).body;
    const failed = await waitForStatus(app, created.id, 'failed');
    expect(failed.failure).toMatchObject({ code: 'card_declined', source: 'smart_glocal' });
  });

  it('a card Smart Glocal refuses (its error envelope) is a 502 with its code and no card data; the session is failed', async () => {
    const res = await create(sessionBody({ order_id: 'sg-bad-luhn', payment_details: card(BAD_LUHN_PAN) }), 502);
    expect(res.body).toEqual({ error: expect.objectContaining({ type: 'provider_error', code: 'invalid_card', provider: 'smart_glocal' }) });
    expect(res.text).not.toContain(BAD_LUHN_PAN);
    const [stored] = (await app.api().get('/v1/sessions?order_id=sg-bad-luhn').expect(200)).body.data;
    expect(stored).toMatchObject({ status: 'failed', failure: { code: 'invalid_card', source: 'provider' } });
    answers.push(JSON.stringify(stored));
  });

  it.each([
    ['a short number', { number: PAN.slice(0, 8) }, 'number'],
    ['a month out of range', { expiration_month: '13' }, 'expiration_month'],
    ['a five-digit CVC', { security_code: `${CVC}1` }, 'security_code'],
  ])('malformed card data (%s) is a 400 on payment_details that echoes nothing, nothing sent', async (_name, change, field) => {
    const callsBefore = simulatorCalls(app);
    const sessionsBefore = await app.em().count(Session, {});
    const res = await create(sessionBody({ payment_details: card(PAN, change) }), 400);
    expect(res.body).toEqual(apiError('invalid_request_error', { param: 'payment_details', message: expect.stringContaining(field) }));
    expect(simulatorCalls(app)).toBe(callsBefore);
    expect(await app.em().count(Session, {})).toBe(sessionsBefore);
  });

  it('no answer within PROVIDER_TIMEOUT_MS (timeout knob) is a 504 and the session is stored failed', async () => {
    simulatorOf(app).faults.set({ timeoutRate: 1 });
    const started = Date.now();
    const res = await create(sessionBody({ order_id: 'sg-timeout', payment_details: card(PAN) }), 504);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.body).toEqual({ error: expect.objectContaining({ type: 'provider_error', code: 'provider_timeout', provider: 'smart_glocal' }) });
    const [stored] = (await app.api().get('/v1/sessions?order_id=sg-timeout').expect(200)).body.data;
    expect(stored).toMatchObject({ status: 'failed', failure: { code: 'provider_timeout', source: 'provider' } });
  });

  it('a retry with the same Idempotency-Key replays the answer without a second payment', async () => {
    const before = simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.initPayment);
    const first = await create(sessionBody({ order_id: 'sg-idem', payment_details: card(PAN) }), 201, 'sg-s2s-idem');
    const again = await create(sessionBody({ order_id: 'sg-idem', payment_details: card(PAN) }), 201, 'sg-s2s-idem');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(simulatorOf(app).requestCount(SMART_GLOCAL_METHODS.initPayment)).toBe(before + 1);
  });

  // Runs last: everything the suite above sent with card data must have left no trace.
  it('card data is in no API answer, no log line and no table', async () => {
    await simulatorOf(app).idle();
    const cardDigits = [PAN, BAD_LUHN_PAN, TEST_CARDS.requires3ds, TEST_CARDS.declined];
    // The CVC as a value of its own: not inside a longer number, id or UUID (which may hold its digits).
    const cvc = new RegExp(`(?<![0-9A-Za-z-])${CVC}(?![0-9A-Za-z-])`);

    expect(answers.length).toBeGreaterThan(5);
    for (const answer of answers) {
      for (const digits of cardDigits) expect(answer).not.toContain(digits);
      expect(answer).not.toMatch(cvc);
    }

    const logged = log.text();
    expect(logged).toContain('"url":"/v1/sessions"');
    expect(logged).toContain('"statusCode":502');
    expect(logged).toContain('"statusCode":504');
    for (const digits of cardDigits) expect(logged).not.toContain(digits);
    expect(logged).not.toMatch(cvc);

    const rows = await dumpAllTables(app.em());
    // The tables that saw these requests are there: stored answers, provider notifications.
    expect(rows).toMatch(/^idempotency_records: /m);
    expect(rows).toMatch(new RegExp(`^inbound_webhooks: .*"last4\\\\?":\\\\?"${PAN.slice(-4)}`, 'm'));
    for (const digits of cardDigits) expect(rows).not.toContain(digits);
    expect(rows).not.toMatch(cvc);
  });
});
