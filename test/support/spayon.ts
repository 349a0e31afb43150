import { signCallback, SpayonSimulator } from '@paymux/spayon';
import request from 'supertest';
import { simulatorToken } from '../../src/providers/provider-module';
import { SPAYON_DEFINITION, SpayonSimulatorSetup } from '../../src/providers/spayon/spayon.definition';
import { Session } from '../../src/sessions/session.entity';
import { Clock } from '../../src/clock';
import { startTestApp, type TestApp } from './app';
import { waitFor } from './wait';

export function spayonSimulatorOf(app: TestApp): SpayonSimulatorSetup {
  const setup = app.paymux.app.get<symbol, SpayonSimulatorSetup | null>(simulatorToken(SPAYON_DEFINITION));
  if (!setup) throw new Error('this app does not run the Spayon simulator');
  return setup;
}

export const customSpayonSession = {
  provider: 'spayon',
  amount: 500000,
  currency: 'AMD',
  description: 'Order #1',
  return_url: 'https://shop.example/thanks',
  cancel_url: 'https://shop.example/cart',
  order_id: 'ORDER_1',
};

export async function statusOf(app: TestApp, id: string): Promise<string> {
  return (await app.api().get(`/v1/sessions/${id}`).expect(200)).body.status;
}

export function waitForStatus(app: TestApp, id: string, status: string): Promise<true> {
  return waitFor(async () => (await statusOf(app, id)) === status);
}

/** Posts a callback to the app's Spayon webhook, signed like Spayon would (or not). */
export function postSpayonCallback(app: TestApp, body: object | string, secret: string | null) {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const test = request(app.url).post('/v1/webhooks/spayon').set('Content-Type', 'application/json');
  if (secret !== null) test.set('X-Signature', signCallback(raw, secret));
  return test.send(raw.toString('utf8'));
}

export async function sessionRows(app: TestApp): Promise<number> {
  return app.em().count(Session, {});
}

export type { SpayonSimulator };

export interface SpayonSuite {
  app: TestApp;
  simulator: SpayonSimulator;
  callbackSecret: string;
}

/**
 * The set-up of a suite over the app's Spayon simulator: one app for the suite, callbacks
 * retried quickly, faults and the clock reset after each test. Read the fields inside tests.
 */
export function useSpayonSuite(): SpayonSuite {
  const suite = {} as SpayonSuite;
  beforeAll(async () => {
    suite.app = await startTestApp();
    const { simulator, credentials } = spayonSimulatorOf(suite.app);
    suite.simulator = simulator;
    suite.callbackSecret = credentials.callbackSecret;
    simulator.callbacks.setPolicy({ intervalMs: 20 });
  });
  afterAll(() => suite.app.close());
  afterEach(() => {
    suite.simulator.faults.reset();
    suite.app.paymux.app.get(Clock).reset();
  });
  return suite;
}
