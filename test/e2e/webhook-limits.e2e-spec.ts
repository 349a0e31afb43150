import request from 'supertest';
import { InboundWebhook } from '../../src/webhooks/inbound-webhook.entity';
import { REJECTED_BODY_LIMIT } from '../../src/webhooks/callback-limits';
import { apiError, startTestApp, TestApp } from '../support/app';
import { postSpayonCallback, spayonSimulatorOf } from '../support/spayon';

describe('provider callbacks paymux cannot trust or cannot store', () => {
  let app: TestApp;
  let callbackSecret: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ credentials: { callbackSecret } } = spayonSimulatorOf(app));
  });
  afterAll(() => app.close());

  const callback = (fields: Record<string, unknown> = {}) => ({
    sessionId: '5716f328-5adb-46fe-938f-d72f1d65b98e', status: 'paid', productName: 'x', price: '1.00', currency: 'AMD',
    createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), orderId: null, ...fields,
  });

  it('keeps forged callbacks only as a bounded record, and counts them', async () => {
    const big = JSON.stringify(callback({ productName: 'f'.repeat(95 * 1000) }));
    for (let i = 0; i < 50; i++) await postSpayonCallback(app, big, 'not-the-secret').expect(401);
    const rejected = await app.em().find(InboundWebhook, { outcome: 'rejected' });
    expect(rejected).toHaveLength(50);
    const stored = rejected.reduce((sum, row) => sum + row.rawBody.length, 0);
    expect(stored).toBeLessThan(50 * (REJECTED_BODY_LIMIT + 100));
    expect(rejected[0].rawBody).toMatch(/more bytes not kept\]$/);
    const metrics = await request(app.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/paymux_webhooks_rejected_total\{provider="spayon"\} 50/);
  });

  it('answers an unsigned form-encoded callback with a NUL byte 401, not 500', async () => {
    const res = await request(app.url).post('/v1/webhooks/spayon').set('Content-Type', 'application/x-www-form-urlencoded').send('sessionId=a%00b&status=paid\u0000').expect(401);
    expect(res.body).toEqual(apiError('authentication_error'));
  });

  it.each([
    ['a session id longer than its column', { sessionId: 's'.repeat(300) }],
    ['a status longer than its column', { status: 'p'.repeat(100) }],
    ['a NUL in the session id', { sessionId: 'abc\u0000' }],
  ])('answers a signed callback with %s 400, changing nothing', async (_, fields) => {
    const before = await app.em().count(InboundWebhook, {});
    const res = await postSpayonCallback(app, callback(fields), callbackSecret).expect(400);
    expect(res.body).toEqual(apiError('invalid_request_error'));
    expect(await app.em().count(InboundWebhook, { outcome: { $ne: 'rejected' } })).toBe(0);
    expect(await app.em().count(InboundWebhook, {})).toBe(before + 1);
  });
});
