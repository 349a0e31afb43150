import { ManualClock } from '@paymux/payments';
import { CallbackPolicy, CallbackReceiver, ReceivedCallback } from '@paymux/simulator-kit';
import { KomojuClient } from '../client';
import { KomojuSimulator } from './komoju-simulator';

export interface KomojuSandboxOptions {
  capture?: 'auto' | 'manual';
  callbackPolicy?: Partial<CallbackPolicy>;
  timeoutMs?: number;
}

export interface HostedPageOutcome {
  status: number;
  /** `Location` of a redirect back to `return_url`, else null. */
  location: string | null;
  html: string;
}

/**
 * One simulated KOMOJU account on a free port, a client for it, a webhook receiver and a manual
 * clock: the set-up every KOMOJU suite shares.
 */
export class KomojuSandbox {
  readonly clock = new ManualClock('2026-11-23T09:00:00.000Z');
  readonly receiver = new CallbackReceiver();

  /** Webhooks received whose `X-Komoju-Event` is `type`. */
  webhooksOfType(type: string): ReceivedCallback[] {
    return this.receiver.received.filter((hook) => hook.headers['x-komoju-event'] === type);
  }
  readonly secretKey = 'sk_test_sandbox_secret_key';
  readonly webhookSecret = 'whsec_sandbox_token';
  readonly simulator: KomojuSimulator;
  client!: KomojuClient;
  apiBaseUrl = '';

  private constructor(private readonly options: KomojuSandboxOptions) {
    this.simulator = new KomojuSimulator({
      secretKey: this.secretKey,
      webhookSecret: this.webhookSecret,
      clock: this.clock,
      capture: options.capture,
      callbackPolicy: { attempts: 3, intervalMs: 20, timeoutMs: 2000, ...(options.callbackPolicy ?? {}) },
    });
  }

  static async start(options: KomojuSandboxOptions = {}): Promise<KomojuSandbox> {
    const sandbox = new KomojuSandbox(options);
    const webhookUrl = await sandbox.receiver.listen('/webhooks/komoju');
    sandbox.apiBaseUrl = await sandbox.simulator.listen();
    sandbox.simulator.configureWebhook(webhookUrl);
    sandbox.client = sandbox.clientWith(sandbox.secretKey);
    await sandbox.simulator.idle();
    sandbox.receiver.clear();
    return sandbox;
  }

  clientWith(secretKey: string): KomojuClient {
    return new KomojuClient({ baseUrl: this.apiBaseUrl, secretKey, timeoutMs: this.options.timeoutMs ?? 500 });
  }

  /** The customer opens `session_url` over HTTP and presses one button. */
  async customerActs(sessionUrl: string, action: 'pay' | 'fail' | 'abandon', paymentType?: string): Promise<HostedPageOutcome> {
    const page = await fetch(sessionUrl);
    if (page.status !== 200) throw new Error(`hosted page answered ${page.status}`);
    await page.text();
    const form = new URLSearchParams(paymentType ? { payment_type: paymentType } : {});
    const answer = await fetch(`${sessionUrl}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    return { status: answer.status, location: answer.headers.get('location'), html: await answer.text() };
  }

  /** Waits for every webhook delivery (and retry) to finish. */
  settle(): Promise<void> {
    return this.simulator.idle();
  }

  async close(): Promise<void> {
    await this.simulator.close();
    await this.receiver.close();
  }
}
