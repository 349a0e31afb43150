import { KomojuApiError } from '../client';
import { KOMOJU_SIMULATOR_HOLD_MS, KomojuEvent, KomojuPayment } from '../types';
import { KomojuSandbox } from './sandbox';

/** Manual capture in KOMOJU's simulator, through the real client over HTTP (Payments: capture, cancel). */
describe('KomojuSimulator: manual capture', () => {
  let sandbox: KomojuSandbox;
  beforeAll(async () => {
    sandbox = await KomojuSandbox.start();
  });
  afterEach(async () => {
    await sandbox.settle();
    sandbox.receiver.clear();
  });
  afterAll(() => sandbox.close());

  const events = () => sandbox.receiver.received.map((hook) => JSON.parse(hook.rawBody.toString('utf8')) as KomojuEvent<KomojuPayment>);
  async function heldPayment(paymentType = 'credit_card') {
    const session = await sandbox.client.createSession({ mode: 'payment', amount: 1000, currency: 'JPY', payment_data: { capture: 'manual' } });
    sandbox.simulator.pay(session.id, paymentType);
    return sandbox.simulator.session(session.id).payment!;
  }
  const refusal = (call: Promise<unknown>) => call.then(() => null, (error: unknown) => error);

  it('captures part of a hold with POST /payments/{id}/capture {amount}: the payment becomes the captured part', async () => {
    const held = await heldPayment();
    expect(held.status).toBe('authorized');
    const captured = await sandbox.client.capturePayment(held.id, 600);
    expect(captured).toMatchObject({ id: held.id, status: 'captured', amount: 600, total: 600, captured_at: expect.any(String) });
    await sandbox.settle();
    expect(events().map((e) => [e.type, e.data.status, e.data.amount])).toEqual([['payment.authorized', 'authorized', 1000], ['payment.captured', 'captured', 600]]);
  });

  it('captures the whole hold without amount', async () => {
    const held = await heldPayment();
    expect(await sandbox.client.capturePayment(held.id)).toMatchObject({ status: 'captured', amount: 1000 });
  });

  it.each([
    ['more than authorized', 1001],
    ['zero', 0],
  ])('refuses to capture %s (422) and keeps the hold', async (_label, amount) => {
    const held = await heldPayment();
    const error = await refusal(sandbox.client.capturePayment(held.id, amount));
    expect(error).toBeInstanceOf(KomojuApiError);
    expect(error).toMatchObject({ httpStatus: 422, code: 'unprocessable_entity' });
    expect(sandbox.simulator.session(held.session!).payment!.status).toBe('authorized');
  });

  it('refuses to capture a konbini reservation (the buyer still pays) or a captured payment', async () => {
    const reserved = await heldPayment('konbini');
    expect(await refusal(sandbox.client.capturePayment(reserved.id))).toMatchObject({ httpStatus: 422 });
    const held = await heldPayment();
    await sandbox.client.capturePayment(held.id);
    expect(await refusal(sandbox.client.capturePayment(held.id))).toMatchObject({ httpStatus: 422 });
  });

  it('releases a hold with POST /payments/{id}/cancel (payment.cancelled); it cannot be captured after', async () => {
    const held = await heldPayment();
    expect(await sandbox.client.cancelPayment(held.id)).toMatchObject({ status: 'cancelled' });
    expect(await refusal(sandbox.client.capturePayment(held.id))).toMatchObject({ httpStatus: 422 });
    await sandbox.settle();
    expect(events().map((e) => e.type)).toEqual(['payment.authorized', 'payment.cancelled']);
  });

  it('lets an uncaptured hold lapse after seven days with payment.expired', async () => {
    const held = await heldPayment();
    sandbox.clock.advance(KOMOJU_SIMULATOR_HOLD_MS - 1000);
    sandbox.simulator.expireDue();
    expect(sandbox.simulator.session(held.session!).payment!.status).toBe('authorized');
    sandbox.clock.advance(1000);
    sandbox.simulator.expireDue();
    expect(sandbox.simulator.session(held.session!).payment!.status).toBe('expired');
    await sandbox.settle();
    // Holds left by earlier tests lapse too: only this payment's events.
    expect(events().filter((e) => e.data.id === held.id).map((e) => [e.type, e.reason])).toEqual([['payment.authorized', null], ['payment.expired', 'the authorization lapsed uncaptured']]);
  });

  it('answers 401 without the secret key', async () => {
    const held = await heldPayment();
    const res = await fetch(`${sandbox.apiBaseUrl}/payments/${held.id}/capture`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});
