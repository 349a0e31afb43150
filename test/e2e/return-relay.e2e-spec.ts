import request from 'supertest';
import { Clock } from '../../src/clock';
import { apiError } from '../support/app';
import { followReturn } from '../support/buyer-return';
import { customSpayonSession, useSpayonSuite, waitForStatus } from '../support/spayon';

/**
 * paymux's return relay (`GET /v1/return/:id`), over the app's Spayon simulator: where the buyer
 * lands after the provider's page, and why it can never send them anywhere but the session's own
 * return_url or cancel_url.
 */
describe('the return relay', () => {
  const suite = useSpayonSuite();
  const create = async (body: object = customSpayonSession) => (await suite.app.api().post('/v1/sessions', body).expect(201)).body;
  const relay = (id: string) => `${suite.app.url}/v1/return/${id}`;

  it('needs no API key, and sends a buyer who backs out to cancel_url with paymux_session_id, keeping its query string and fragment', async () => {
    const session = await create({ ...customSpayonSession, cancel_url: 'https://shop.example/cart?step=2&lang=hy#summary' });
    const res = await request(relay(session.id)).get('').expect(303);
    expect(res.headers.location).toBe(`https://shop.example/cart?step=2&lang=hy&paymux_session_id=${session.id}#summary`);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('asks the provider while the session is open: a payment whose callback has not arrived still lands on return_url, and the session is succeeded by sync', async () => {
    suite.simulator.faults.set({ wrongSignature: true });
    const session = await create();
    const paid = await request(`${session.redirect_url}/pay`).post('').type('form').send({}).expect(303);
    expect(await followReturn(suite.app.url, session.id, paid.headers.location)).toBe(`https://shop.example/thanks?paymux_session_id=${session.id}`);
    const now = (await suite.app.api().get(`/v1/sessions/${session.id}`).expect(200)).body;
    expect(now.status).toBe('succeeded');
    const events = (await suite.app.api().get(`/v1/sessions/${session.id}/events`).expect(200)).body.data;
    expect(events.map((e: { to_status: string; source: string }) => [e.to_status, e.source])).toEqual([['open', 'api'], ['succeeded', 'sync']]);
  });

  it('asks the provider at most once per 2 seconds for a session, however often the link is opened', async () => {
    const clock = suite.app.paymux.app.get(Clock);
    clock.freeze();
    const session = await create();
    const series = 'paymux_provider_request_duration_seconds_count{provider="spayon",operation="fetch_status",outcome="ok"}';
    const asked = async () => {
      const text = (await request(suite.app.url).get('/metrics').expect(200)).text;
      return Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1) ?? 0);
    };
    const before = await asked();
    for (let i = 0; i < 5; i++) await request(relay(session.id)).get('').expect(303);
    expect(await asked()).toBe(before + 1);
    clock.advance(2000);
    await request(relay(session.id)).get('').expect(303);
    expect(await asked()).toBe(before + 2);
  });

  it('still sends the buyer back when the provider cannot answer: by the stored status, to cancel_url for an open session', async () => {
    const session = await create();
    suite.simulator.faults.set({ errorRate: 1 });
    const res = await request(relay(session.id)).get('').expect(303);
    expect(res.headers.location).toBe(`https://shop.example/cart?paymux_session_id=${session.id}`);
  });

  it('sends a failed payment to cancel_url, and to return_url when the session has no cancel_url', async () => {
    const withCancel = await create();
    await request(`${withCancel.redirect_url}/decline`).post('').type('form').send({ code: '05' }).expect(303);
    await waitForStatus(suite.app, withCancel.id, 'failed');
    expect((await request(relay(withCancel.id)).get('').expect(303)).headers.location).toBe(`https://shop.example/cart?paymux_session_id=${withCancel.id}`);

    const { cancel_url: _none, ...withoutCancelBody } = customSpayonSession;
    const withoutCancel = await create({ ...withoutCancelBody, return_url: 'https://shop.example/thanks?paymux_session_id=forged' });
    await request(`${withoutCancel.redirect_url}/decline`).post('').type('form').send({ code: '05' }).expect(303);
    await waitForStatus(suite.app, withoutCancel.id, 'failed');
    // paymux's own id replaces whatever the URL carried under that name.
    expect((await request(relay(withoutCancel.id)).get('').expect(303)).headers.location).toBe(`https://shop.example/thanks?paymux_session_id=${withoutCancel.id}`);
  });

  it('is no open redirect: an address in the query is refused or ignored, never followed', async () => {
    const session = await create();
    const unknownParam = await request(relay(session.id)).get('?next=https://evil.example/').expect(400);
    expect(unknownParam.body).toEqual(apiError('invalid_request_error', { code: 'parameter_unknown', param: 'next' }));
    const providerParam = await request(relay(session.id)).get('?session_id=https://evil.example/').expect(303);
    expect(providerParam.headers.location).toBe(`https://shop.example/cart?paymux_session_id=${session.id}`);
  });

  it.each([
    ['a malformed id', 'not-a-session', 400, 'invalid_request_error', 'Payment link not valid'],
    ['a malformed id with a URL in it', 'https:%2F%2Fevil.example', 400, 'invalid_request_error', 'Payment link not valid'],
    ['an unknown session', 'sess_01JD0000000000000000000000', 404, 'not_found_error', 'Payment not found'],
  ])('answers %s with a clear 4xx: a page for a browser, the API error shape otherwise', async (_name, id, status, type, heading) => {
    const json = await request(relay(id)).get('').expect(status);
    expect(json.body).toEqual(apiError(type));
    expect(json.headers.location).toBeUndefined();
    const page = await request(relay(id)).get('').set('Accept', 'text/html,application/xhtml+xml').expect(status);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(`<h1>${heading}</h1>`);
    expect(page.text).not.toContain('evil.example');
    expect(page.headers.location).toBeUndefined();
  });
});
