import { AcquiringPayment, HEADERS, Session as SmartGlocalSession, SMART_GLOCAL_METHODS, SmartGlocalSimulator } from '@paymux/smart-glocal';
import request from 'supertest';
import { simulatorToken } from '../../src/providers/provider-module';
import { SMART_GLOCAL_DEFINITION } from '../../src/providers/smart-glocal/smart-glocal.definition';
import { TestApp } from './app';
import { waitFor } from './wait';

export const RETURN_URL = 'https://shop.example/orders/return';
/** A card that pays without 3-D Secure, distinctive enough to grep for (Luhn-valid). */
export const PAN = '4716293856104730';
export const CVC = '8642';
/** The same digits with a wrong check digit: Smart Glocal refuses it. */
export const BAD_LUHN_PAN = '4716293856104731';

/** What the app's Smart Glocal module starts when no credentials are set. */
export interface SimulatorSetup {
  simulator: SmartGlocalSimulator;
  merchantPrivateKeyPem: string;
}

export const smartGlocal = (app: TestApp): SimulatorSetup => app.paymux.app.get<symbol, SimulatorSetup>(simulatorToken(SMART_GLOCAL_DEFINITION));
export const simulatorOf = (app: TestApp): SmartGlocalSimulator => smartGlocal(app).simulator;

let orderSeq = 0;
/** A Smart Glocal session request; `undefined` in overrides drops a field. */
export function sessionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    provider: 'smart_glocal',
    amount: 2500,
    currency: 'USD',
    customer: { reference: 'buyer-42', email: 'buyer@example.com' },
    order_id: `sg-order-${++orderSeq}`,
    return_url: RETURN_URL,
    ...overrides,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

/** `payment_details` for the server-to-server flow. */
export const card = (number: string, extra: Record<string, unknown> = {}) => ({
  card: { number, expiration_month: '12', expiration_year: '2031', security_code: CVC, ...extra },
});

export async function sessionNow(app: TestApp, id: string) {
  return (await app.api().get(`/v1/sessions/${id}`).expect(200)).body;
}

export function waitForStatus(app: TestApp, id: string, status: string) {
  return waitFor(async () => {
    const session = await sessionNow(app, id);
    return session.status === status ? session : null;
  });
}

/** The session's history as `[from, to, source]` rows. */
export async function eventsOf(app: TestApp, id: string): Promise<[string | null, string, string][]> {
  const res = await app.api().get(`/v1/sessions/${id}/events`).expect(200);
  return res.body.data.map((e: { from_status: string | null; to_status: string; source: string }) => [e.from_status, e.to_status, e.source]);
}

/** API calls the simulator received, all methods together. */
export function simulatorCalls(app: TestApp): number {
  return Object.values(SMART_GLOCAL_METHODS).reduce((sum, method) => sum + simulatorOf(app).requestCount(method), 0);
}

/** Smart Glocal's resend schedule, shortened: one resend 20 ms later. */
export function fastResends(app: TestApp): void {
  simulatorOf(app).dispatcher.setPolicy({ attempts: 2, intervalMs: 20, intervalsMs: [20], timeoutMs: 2_000 });
}

/**
 * A notification as Smart Glocal would send it: the session as it stands, with a new status and
 * the payments given (carrying paymux's metadata, as the payment objects do).
 */
export function notificationBody(
  app: TestApp, providerSessionId: string, status: SmartGlocalSession['status'], payments: Partial<AcquiringPayment>[], type: string, paymuxSessionId: string,
): Buffer {
  const session = simulatorOf(app).getSession(providerSessionId);
  const asked = simulatorOf(app).requestOf(providerSessionId);
  const paymentBase = {
    created_at: new Date().toISOString(),
    customer: asked.customer!,
    payment_details: { type: 'card' as const, card: { brand: 'visa', last4: '4242' } },
    amount_details: asked.amount_details!,
    metadata: { paymux_session_id: paymuxSessionId },
  };
  session.status = status;
  session.acquiring_payments = payments.map((p, i) => ({ ...paymentBase, id: `pm_e2e_${providerSessionId}_${i}`, status: 'in_progress', ...p }) as AcquiringPayment);
  return Buffer.from(JSON.stringify({ type, session }), 'utf8');
}

export function postNotification(app: TestApp, body: Buffer, signature: string | null) {
  const req = request(app.url).post('/v1/webhooks/smart-glocal').set('content-type', 'application/json');
  if (signature !== null) req.set(HEADERS.sign, signature);
  return req.send(body.toString('utf8'));
}
