import { CallbackReceiver } from '@paymux/simulator-kit';
import { SpayonClient, SpayonClientOptions } from '../client';
import { SpayonSimulator, SpayonSimulatorOptions } from './spayon-simulator';

export const SANDBOX_CREDENTIALS = Object.freeze({
  clientId: 'test-client',
  clientSecret: 'test-client-secret',
  callbackSecret: 'test-callback-secret',
});

export interface SpayonSandbox {
  simulator: SpayonSimulator;
  /** The simulator's base URL: give it to a client as `baseUrl`. */
  baseUrl: string;
  /** A merchant endpoint recording callbacks; its URL is `callbackUrl`. */
  receiver: CallbackReceiver;
  callbackUrl: string;
  /** A client with the sandbox credentials, pointed at the simulator. */
  client(overrides?: Partial<SpayonClientOptions>): SpayonClient;
  close(): Promise<void>;
}

/**
 * A Spayon simulator on a free port plus a callback receiver, for tests: callbacks are retried
 * 5 ms apart instead of 5 minutes.
 */
export async function startSpayonSandbox(options: Partial<SpayonSimulatorOptions> = {}): Promise<SpayonSandbox> {
  const simulator = new SpayonSimulator({
    ...SANDBOX_CREDENTIALS,
    products: [{ id: 1, name: 'Gift card', price: '5000.00', currency: 'AMD' }],
    ...options,
    callbackPolicy: { intervalMs: 5, timeoutMs: 2000, ...options.callbackPolicy },
  });
  const receiver = new CallbackReceiver();
  const [baseUrl, callbackUrl] = await Promise.all([simulator.listen(), receiver.listen('/v1/webhooks/spayon')]);
  return {
    simulator,
    baseUrl,
    receiver,
    callbackUrl,
    client: (overrides = {}) =>
      new SpayonClient({
        baseUrl,
        clientId: options.clientId ?? SANDBOX_CREDENTIALS.clientId,
        clientSecret: options.clientSecret ?? SANDBOX_CREDENTIALS.clientSecret,
        clock: options.clock,
        ...overrides,
      }),
    close: async () => {
      await simulator.close();
      await receiver.close();
    },
  };
}
