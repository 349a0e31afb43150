import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedWebhook {
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
}

/**
 * The receiving end of the simulator's webhooks for tests and local runs: records each delivery's
 * raw bytes and headers and answers `status` (set it to 500 to make KOMOJU retry).
 */
export class WebhookRecorder {
  readonly received: RecordedWebhook[] = [];
  status = 200;
  url = '';
  private server: Server | null = null;

  async listen(host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ rawBody: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(this.status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}/webhooks/komoju`;
    return this.url;
  }

  /** Deliveries whose `X-Komoju-Event` is `type`. */
  ofType(type: string): RecordedWebhook[] {
    return this.received.filter((hook) => hook.headers['x-komoju-event'] === type);
  }

  clear(): void {
    this.received.length = 0;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
