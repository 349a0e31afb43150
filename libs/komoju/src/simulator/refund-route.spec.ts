import { KomojuApiError } from '../client';
import type { KomojuEvent, KomojuPayment } from '../types';
import { KomojuSandbox } from './sandbox';

/** `POST /payments/{id}/refund` of the simulator, through the real client over HTTP. */
describe('KomojuSimulator refunds', () => {
  let sandbox: KomojuSandbox;

  beforeAll(async () => {
    sandbox = await KomojuSandbox.start();
  });
  afterEach(async () => {
    await sandbox.settle();
    sandbox.simulator.refunds.resetFaults();
    sandbox.receiver.clear();
  });
  afterAll(() => sandbox.close());

  async function capturedPayment(amount = 1000): Promise<KomojuPayment> {
    const session = await sandbox.client.createSession({ mode: 'payment', amount, currency: 'JPY' });
    sandbox.simulator.pay(session.id, 'credit_card');
    await sandbox.settle();
    sandbox.receiver.clear();
    return (await sandbox.client.getSession(session.id)).payment!;
  }
  const eventTypes = () => sandbox.receiver.received.map((hook) => (JSON.parse(hook.rawBody.toString('utf8')) as KomojuEvent).type);

  it('a partial refund keeps the payment captured (payment.refund.created); the one that makes it whole refunds it (payment.refunded)', async () => {
    const payment = await capturedPayment(1000);
    const partial = await sandbox.client.refundPayment(payment.id, { amount: 400, description: 'paymux refund re_1' }, { idempotencyKey: 're_1' });
    expect(partial).toMatchObject({ status: 'captured', amount_refunded: 400, refunds: [{ amount: 400, currency: 'JPY', description: 'paymux refund re_1' }] });
    const rest = await sandbox.client.refundPayment(payment.id, {}, { idempotencyKey: 're_2' });
    expect(rest).toMatchObject({ status: 'refunded', amount_refunded: 1000 });
    expect((await sandbox.client.getPayment(payment.id)).refunds).toHaveLength(2);
    await sandbox.settle();
    expect(eventTypes()).toEqual(['payment.refund.created', 'payment.refunded']);
  });

  it('answers a retry with the same idempotency key without refunding again, and refuses more than is left', async () => {
    const payment = await capturedPayment(1000);
    const first = await sandbox.client.refundPayment(payment.id, { amount: 100 }, { idempotencyKey: 're_same' });
    const again = await sandbox.client.refundPayment(payment.id, { amount: 100 }, { idempotencyKey: 're_same' });
    expect(again).toEqual(first);
    expect((await sandbox.client.getPayment(payment.id)).amount_refunded).toBe(100);
    await expect(sandbox.client.refundPayment(payment.id, { amount: 901 }, { idempotencyKey: 're_over' })).rejects.toMatchObject({ httpStatus: 422, code: 'unprocessable_entity' });
  });

  it('refuses every refund while the refusal knob is set, and takes them again once reset', async () => {
    const payment = await capturedPayment(500);
    sandbox.simulator.refunds.setFaults({ refuseWith: 'unprocessable_entity' });
    const refused = await sandbox.client.refundPayment(payment.id, { amount: 100 }, { idempotencyKey: 're_refused' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KomojuApiError);
    expect((await sandbox.client.getPayment(payment.id)).amount_refunded).toBe(0);
    sandbox.simulator.refunds.resetFaults();
    expect((await sandbox.client.refundPayment(payment.id, { amount: 100 }, { idempotencyKey: 're_taken' })).amount_refunded).toBe(100);
  });
});
