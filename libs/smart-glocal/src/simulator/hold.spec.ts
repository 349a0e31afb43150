import { ManualClock } from '@paymux/payments';
import { verifyNotification } from '../notification';
import { HEADERS, Notification, SessionInitPaymentRequest } from '../types';
import { TEST_CARDS } from './cards';
import { SmartGlocalSandbox, startSmartGlocalSandbox } from './sandbox';

const initBody: SessionInitPaymentRequest = {
  amount_details: { amount: 2500, currency: 'usd' },
  customer: { reference: 'user-1' },
  payment_options: { return_url: 'https://shop.example/return' },
  metadata: { paymux_session_id: 'sess_hold' },
  payment_details: { type: 'card', card: { type: 'bank_card', bank_card: { number: TEST_CARDS.succeeds, expiration_month: '05', expiration_year: '45', security_code: '123' } } },
};

/** Delayed capture's hold (Payment flows: "Default hold: 5 days … then the money is released"), on the simulator's clock. */
describe('SmartGlocalSimulator: the hold of delayed capture', () => {
  let sandbox: SmartGlocalSandbox;
  const clock = new ManualClock('2026-12-03T10:00:00.000Z');
  beforeEach(async () => {
    sandbox = await startSmartGlocalSandbox({ simulator: { clock, delayedCapture: true } });
  });
  afterEach(() => sandbox.close());

  const notifications = (): Notification[] =>
    sandbox.receiver.received.map((n) => verifyNotification(n.rawBody, n.headers[HEADERS.sign.toLowerCase()] as string, sandbox.simulator.publicKeyPem));
  async function held() {
    const session = await sandbox.client.initPayment(initBody, { idempotencyKey: `hold-${Date.now()}-${Math.random()}` });
    await sandbox.simulator.idle();
    await sandbox.client.confirmSession(session.id);
    await sandbox.simulator.idle();
    expect(sandbox.simulator.getSession(session.id).next_action).toBe('capture');
    return session.id;
  }

  it('releases an uncaptured hold after five days: payment failed (hold_released), session cancelled', async () => {
    const id = await held();
    clock.advance(5 * 86_400_000 - 60_000);
    sandbox.simulator.enforceDeadlines();
    expect(sandbox.simulator.getSession(id).next_action).toBe('capture');
    clock.advance(60_000);
    sandbox.simulator.enforceDeadlines();
    await sandbox.simulator.idle();
    const finished = notifications().filter((n) => n.type === 'payment_finished').at(-1)!;
    expect(finished.session).toMatchObject({ id, status: 'cancelled', acquiring_payments: [{ status: 'failed', error: { code: 'hold_released' } }] });
  });

  it('the hold length is an account knob (holdMinutes)', async () => {
    sandbox.simulator.account.set({ holdMinutes: 10 });
    const id = await held();
    clock.advance(10 * 60_000);
    sandbox.simulator.enforceDeadlines();
    await sandbox.simulator.idle();
    expect(sandbox.simulator.getSession(id).status).toBe('cancelled');
  });

  it('session/cancel releases the hold at once', async () => {
    const id = await held();
    await sandbox.client.cancelSession(id);
    await sandbox.simulator.idle();
    expect(sandbox.simulator.getSession(id)).toMatchObject({ status: 'cancelled', acquiring_payments: [{ status: 'failed', error: { code: 'cancelled' } }] });
  });
});
