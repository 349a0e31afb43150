import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The exact bytes received, for signature checks. */
  readonly rawBody: Buffer;
  /** What the receiver answered. */
  readonly status: number;
}

/**
 * A merchant endpoint for tests: records every callback a simulator sends, byte for byte, and
 * answers with the statuses it is told to (to exercise retry policies).
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  /** Answered once no queued answer is left. */
  defaultStatus = 200;
  /** The URL to give as callback URL, once listening. */
  url = '';
  private readonly queued: number[] = [];
  private server: Server | null = null;
  private waiters: { count: number; resolve: () => void }[] = [];

  /** Answers the next callbacks with these statuses, in order. */
  answerNext(...statuses: number[]): void {
    this.queued.push(...statuses);
  }

  /** Starts on a free port; answers the URL to give as callback URL (with `path`). */
  async listen(path = '/callback'): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = this.queued.shift() ?? this.defaultStatus;
        this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody: Buffer.concat(chunks), status });
        res.writeHead(status).end();
        this.waiters = this.waiters.filter((waiter) => {
          if (this.received.length < waiter.count) return true;
          waiter.resolve();
          return false;
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
    return this.url;
  }

  /** Forgets what was received (queued answers stay). */
  clear(): void {
    this.received.length = 0;
  }

  /** Resolves once `count` callbacks in all have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5000): Promise<ReceivedCallback[]> {
    if (this.received.length >= count) return Promise.resolve(this.received.slice());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} callbacks, got ${this.received.length}`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.received.slice());
        },
      });
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
