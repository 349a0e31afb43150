import type { AxiosInstance } from 'axios';
import { CallbackReceiver } from '@paymux/simulator-kit';
import { SmartGlocalClient } from '../client';
import { generateRsaKeyPair, RsaKeyPairPem } from '../signature';
import { scaledNotificationPolicy } from './account';
import { SmartGlocalSimulator, SmartGlocalSimulatorOptions } from './simulator';

export interface SmartGlocalSandbox {
  readonly simulator: SmartGlocalSimulator;
  readonly client: SmartGlocalClient;
  readonly baseUrl: string;
  readonly project: string;
  /** The partner's keys: the client signs with the private half, the simulator checks with the public one. */
  readonly merchantKeys: RsaKeyPairPem;
  /** The partner's endpoint the simulator posts notifications to. */
  readonly receiver: CallbackReceiver;
  close(): Promise<void>;
}

export interface SandboxOptions {
  simulator?: Partial<Omit<SmartGlocalSimulatorOptions, 'project' | 'merchantPublicKeyPem'>>;
  timeoutMs?: number;
  http?: AxiosInstance;
}

/**
 * A simulator on a free port, a client signing with fresh RSA keys, and a callback receiver the
 * simulator posts to: real HTTP and real signatures end to end (tests, local runs).
 */
export async function startSmartGlocalSandbox(options: SandboxOptions = {}): Promise<SmartGlocalSandbox> {
  const merchantKeys = generateRsaKeyPair();
  const project = 'paymux-test';
  const receiver = new CallbackReceiver();
  await receiver.listen('/notifications');
  const simulator = new SmartGlocalSimulator({
    project,
    merchantPublicKeyPem: merchantKeys.publicKeyPem,
    notificationUrl: receiver.url,
    // The documented resend schedule (growing, 30 minutes in all), 10 000 times faster.
    callbackPolicy: scaledNotificationPolicy(0.0001),
    ...options.simulator,
  });
  const baseUrl = await simulator.listen();
  const client = new SmartGlocalClient({
    baseUrl,
    project,
    privateKeyPem: merchantKeys.privateKeyPem,
    timeoutMs: options.timeoutMs ?? 2_000,
    http: options.http,
  });
  return {
    simulator,
    client,
    baseUrl,
    project,
    merchantKeys,
    receiver,
    close: async () => {
      await simulator.close();
      await receiver.close();
    },
  };
}
