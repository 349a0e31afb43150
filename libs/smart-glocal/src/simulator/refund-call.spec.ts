import { SmartGlocalApiError } from '../errors';
import { verifyNotification } from '../notification';
import { HEADERS, Notification } from '../types';
import { SmartGlocalSandbox, startSmartGlocalSandbox } from './sandbox';

/** `session/refund` of the simulator, through the real signed client over HTTP. */
describe('SmartGlocalSimulator session/refund', () => {
  let sandbox: SmartGlocalSandbox;

  beforeEach(async () => {
    sandbox = await startSmartGlocalSandbox();
  });
  afterEach(() => sandbox.close());

  const notifications = (): Notification[] =>
    sandbox.receiver.received.map((n) => verifyNotification(n.rawBody, n.headers[HEADERS.sign.toLowerCase()] as string, sandbox.simulator.publicKeyPem));

  async function paidSession(amount = 2500): Promise<string> {
    const session = await sandbox.client.createSession({ amount_details: { amount, currency: 'usd' }, customer: { reference: 'buyer-1' } });
    sandbox.simulator.pay(session.id);
    await sandbox.simulator.idle();
    sandbox.receiver.clear();
    return session.id;
  }

  it('answers the refund in_progress, then makes it accepted and sends payment_refunded; the payment stays succeeded, the session accepted', async () => {
    const sessionId = await paidSession();
    const answered = await sandbox.client.refundSession({ session_id: sessionId, amount_details: { amount: 1000, currency: 'usd' } });
    const [refund] = answered.acquiring_payments[0].refunds!;
    expect(refund).toMatchObject({ id: expect.stringMatching(/^rf_/), status: 'in_progress', is_chargeback: false, amount_details: { amount: 1000, currency: 'usd' } });
    await sandbox.simulator.idle();
    const [notification] = notifications();
    expect(notification.type).toBe('payment_refunded');
    expect(notification.session).toMatchObject({ status: 'accepted', acquiring_payments: [{ status: 'succeeded', refunds: [{ id: refund.id, status: 'accepted' }] }] });
  });

  it('refunds the whole rest without amount_details, and refuses more than is left or a session without a succeeded payment', async () => {
    const sessionId = await paidSession(2500);
    await sandbox.client.refundSession({ session_id: sessionId, amount_details: { amount: 500, currency: 'usd' } });
    const rest = await sandbox.client.refundSession({ session_id: sessionId });
    expect(rest.acquiring_payments[0].refunds!.map((r) => r.amount_details!.amount)).toEqual([500, 2000]);
    await expect(sandbox.client.refundSession({ session_id: sessionId, amount_details: { amount: 1, currency: 'usd' } })).rejects.toMatchObject({ code: 'refund_amount_exceeded' });
    const unpaid = await sandbox.client.createSession({ amount_details: { amount: 100, currency: 'usd' }, customer: { reference: 'buyer-2' } });
    await expect(sandbox.client.refundSession({ session_id: unpaid.id })).rejects.toMatchObject({ code: 'invalid_session_state' });
  });

  it('refuses every refund while the refusal knob is set', async () => {
    const sessionId = await paidSession();
    sandbox.simulator.refunds.set({ refuseWith: 'refund_not_allowed' });
    const refused = await sandbox.client.refundSession({ session_id: sessionId, amount_details: { amount: 100, currency: 'usd' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SmartGlocalApiError);
    expect(refused).toMatchObject({ code: 'refund_not_allowed' });
    expect(sandbox.simulator.getSession(sessionId).acquiring_payments[0].refunds ?? []).toEqual([]);
  });
});
