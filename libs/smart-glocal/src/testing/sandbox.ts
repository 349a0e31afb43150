import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AxiosInstance } from 'axios';
import { SmartGlocalClient } from '../client';
import { generateRsaKeyPair, RsaKeyPairPem } from '../signature';
import { scaledNotificationPolicy, SmartGlocalSimulator, SmartGlocalSimulatorOptions } from '../simulator';

export interface ReceivedNotification {
  rawBody: Buffer;
  headers: IncomingMessage['headers'];
}

/** A partner-side endpoint that records notifications and answers `status` (200 by default). */
export interface NotificationSink {
  readonly url: string;
  readonly received: ReceivedNotification[];
  status: number;
  close(): Promise<void>;
}

export async function startNotificationSink(): Promise<NotificationSink> {
  const received: ReceivedNotification[] = [];
  const sink = { status: 200 } as { status: number };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ rawBody: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(sink.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `http://127.0.0.1:${port}/notifications`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

export interface SmartGlocalSandbox {
  readonly simulator: SmartGlocalSimulator;
  readonly client: SmartGlocalClient;
  readonly baseUrl: string;
  readonly project: string;
  /** The partner's keys: the client signs with the private half, the simulator checks with the public one. */
  readonly merchantKeys: RsaKeyPairPem;
  readonly sink: NotificationSink;
  close(): Promise<void>;
}

export interface SandboxOptions {
  simulator?: Partial<Omit<SmartGlocalSimulatorOptions, 'project' | 'merchantPublicKeyPem'>>;
  timeoutMs?: number;
  http?: AxiosInstance;
}

/**
 * A simulator on a free port, a client signing with fresh RSA keys, and a notification sink the
 * simulator posts to: real HTTP and real signatures end to end (tests, local runs).
 */
export async function startSmartGlocalSandbox(options: SandboxOptions = {}): Promise<SmartGlocalSandbox> {
  const merchantKeys = generateRsaKeyPair();
  const project = 'paymux-test';
  const sink = await startNotificationSink();
  const simulator = new SmartGlocalSimulator({
    project,
    merchantPublicKeyPem: merchantKeys.publicKeyPem,
    notificationUrl: sink.url,
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
    sink,
    close: async () => {
      await simulator.close();
      await sink.close();
    },
  };
}
