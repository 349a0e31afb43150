import { SpayonSimulator } from '@paymux/spayon';
import request from 'supertest';
import { Event } from '../../src/notifications/event.entity';
import { SessionEvent } from '../../src/sessions/session-event.entity';
import type { TestApp } from '../support/app';
import { customSpayonSession, postSpayonCallback, useSpayonSuite, waitForStatus } from '../support/spayon';
import { waitFor } from '../support/wait';

/**
 * No amount is taken on trust: whatever a provider says it charged is compared with the session.
 * Spayon charges a marketplace product at its own catalogue price, whatever paymux thinks the
 * product costs, so a catalogue product whose price differs is the real-world case.
 */
describe('a provider that charges another amount than the session: never a silent success', () => {
  const suite = useSpayonSuite();
  let app: TestApp;
  let simulator: SpayonSimulator;
  let callbackSecret: string;
  beforeAll(() => ({ app, simulator, callbackSecret } = suite));

  const session = async (body: object = customSpayonSession) => (await app.api().post('/v1/sessions', body).expect(201)).body;
  const fetch = async (id: string) => (await app.api().get(`/v1/sessions/${id}`).expect(200)).body;
  const outbound = (sessionId: string) => app.em().find(Event, { sessionId }, { orderBy: { createdAt: 'asc' } });
  const mismatchCount = async () => {
    const text = (await request(app.url).get('/metrics').expect(200)).text;
    return Number(/paymux_amount_mismatches_total\{provider="spayon"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  it('a catalogue product Spayon sells for 1000.00 AMD, recorded by paymux at 10000.00 AMD, fails with amount_mismatch when paid', async () => {
    const product = (await app.api().post('/v1/products', { name: 'Sample product', amount: 1000000, currency: 'AMD', spayon_product_id: 1 }).expect(201)).body;
    const before = await mismatchCount();
    const created = await session({ provider: 'spayon', product_id: product.id, return_url: 'https://shop.example/r' });
    expect(simulator.session(created.provider_session_id)).toMatchObject({ price: '1000.00', currency: 'AMD' });

    simulator.pay(created.provider_session_id);
    await waitForStatus(app, created.id, 'failed');

    const final = await fetch(created.id);
    expect(final).toMatchObject({
      status: 'failed', amount: 1000000, currency: 'AMD',
      amount_mismatch: { amount: 100000, currency: 'AMD', reported_at: expect.any(String) },
      failure: { code: 'amount_mismatch', source: 'paymux', message: expect.stringMatching(/1000\.00 AMD.*10000\.00 AMD/) },
    });
    const events = (await app.api().get(`/v1/sessions/${created.id}/events`).expect(200)).body.data;
    expect(events.map((e: { to_status: string }) => e.to_status)).toEqual(['open', 'failed']);
    expect(events[1]).toMatchObject({ source: 'webhook', provider_status: 'paid', note: expect.stringContaining('amount_mismatch') });
    expect((await outbound(created.id)).map((e) => e.type)).toEqual(['session.failed']);
    expect(await mismatchCount()).toBe(before + 1);
  });

  it('a product whose catalogue price is the same succeeds as usual', async () => {
    const product = (await app.api().post('/v1/products', { name: 'Sample product', amount: 100000, currency: 'AMD', spayon_product_id: 1 }).expect(201)).body;
    const created = await session({ provider: 'spayon', product_id: product.id, return_url: 'https://shop.example/r' });
    simulator.pay(created.provider_session_id);
    await waitForStatus(app, created.id, 'succeeded');
    expect(await fetch(created.id)).not.toHaveProperty('amount_mismatch');
  });

  it.each([
    ['a smaller amount', { price: '4999.99', currency: 'AMD' }, { amount: 499999, currency: 'AMD' }],
    ['the same number in another currency', { price: '5000.00', currency: 'USD' }, { amount: 500000, currency: 'USD' }],
  ])('a signed paid callback stating %s fails the session', async (_name, stated, reported) => {
    const created = await session();
    const body = { sessionId: created.provider_session_id, status: 'paid', productName: 'Order #1', orderId: 'ORDER_1', ...stated };
    await postSpayonCallback(app, body, callbackSecret).expect(200);
    expect(await fetch(created.id)).toMatchObject({ status: 'failed', failure: { code: 'amount_mismatch' }, amount_mismatch: reported });
  });

  it('a paid callback whose price cannot be read exactly is refused (400), and the session stays open', async () => {
    const created = await session();
    const body = { sessionId: created.provider_session_id, status: 'paid', price: '5000.005', currency: 'AMD' };
    const res = await postSpayonCallback(app, body, callbackSecret).expect(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'price' });
    expect((await fetch(created.id)).status).toBe('open');
  });

  it('a sync that finds the session paid at another amount fails it the same way', async () => {
    const product = (await app.api().post('/v1/products', { name: 'Sample product', amount: 200000, currency: 'AMD', spayon_product_id: 1 }).expect(201)).body;
    const created = await session({ provider: 'spayon', product_id: product.id, return_url: 'https://shop.example/r' });
    simulator.faults.set({ wrongSignature: true });
    simulator.pay(created.provider_session_id);
    await simulator.callbacks.idle();
    expect((await fetch(created.id)).status).toBe('open');

    const synced = (await app.api().post(`/v1/sessions/${created.id}/sync`).expect(200)).body;
    expect(synced).toMatchObject({ status: 'failed', failure: { code: 'amount_mismatch' }, amount_mismatch: { amount: 100000, currency: 'AMD' } });
    expect(await app.em().count(SessionEvent, { sessionId: created.id, toStatus: 'failed', source: 'sync' })).toBe(1);
  });

  it('a late payment of the wrong amount after a local cancel stays cancelled, is flagged and notified once', async () => {
    const created = await session();
    await app.api().post(`/v1/sessions/${created.id}/cancel`).expect(200);
    const body = { sessionId: created.provider_session_id, status: 'paid', price: '1000.00', currency: 'AMD' };
    await postSpayonCallback(app, body, callbackSecret).expect(200);
    await postSpayonCallback(app, body, callbackSecret).expect(200);

    const final = await fetch(created.id);
    expect(final).toMatchObject({ status: 'cancelled', amount_mismatch: { amount: 100000, currency: 'AMD' } });
    expect(final).not.toHaveProperty('late');
    await waitFor(async () => (await outbound(created.id)).length === 2);
    const events = await outbound(created.id);
    expect(events.map((e) => e.type)).toEqual(['session.cancelled', 'session.amount_mismatch']);
    expect(JSON.parse(events[1].payload).data.object).toMatchObject({ id: created.id, status: 'cancelled', amount_mismatch: { amount: 100000 } });
  });

  it('a late payment of the right amount after a local cancel still becomes succeeded and late', async () => {
    const created = await session();
    await app.api().post(`/v1/sessions/${created.id}/cancel`).expect(200);
    simulator.pay(created.provider_session_id);
    await waitForStatus(app, created.id, 'succeeded');
    expect(await fetch(created.id)).toMatchObject({ late: true });
  });
});
