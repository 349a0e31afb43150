import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults';

export interface SimRequest {
  readonly method: string;
  /** Path below the simulator's base path, e.g. `/api/tokens`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly rawBody: Buffer;
  /** The body parsed as JSON (or as a form), undefined when empty or unparseable. */
  readonly body: unknown;
  /** Absolute base URL the simulator is reachable at, as the caller used it. */
  readonly baseUrl: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as-is (set content-type for HTML). */
  body?: unknown;
}

export type SimHandler = (req: SimRequest, params: Record<string, string>) => Promise<SimResponse> | SimResponse;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: SimHandler;
  /** API routes are subject to fault knobs; pages and controls are not. */
  api: boolean;
}

/**
 * A tiny HTTP router for simulators. It runs on its own port (`listen`) or mounted inside
 * another server under a base path (`handle(req, res)` with the prefix already known).
 */
export class SimulatorHttp {
  readonly faults = new Faults();
  private readonly routes: Route[] = [];
  private server: Server | null = null;
  /** Requests held open by the timeout knob, released on close. */
  private readonly held = new Set<ServerResponse>();
  /** Every API call received, for tests that count requests. */
  readonly calls: { method: string; path: string; at: Date }[] = [];

  constructor(private readonly basePath = '') {
    this.route('POST', '/__faults', (req) => {
      this.faults.set((req.body ?? {}) as Record<string, never>);
      return { status: 200, body: this.faults.current };
    }, false);
  }

  route(method: string, path: string, handler: SimHandler, api = true): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      '^' + path.replace(/\//g, '\\/').replace(/:([a-zA-Z_]+)/g, (_, key: string) => {
        keys.push(key);
        return '([^/]+)';
      }) + '$',
    );
    this.routes.push({ method, pattern, keys, handler, api });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}${this.basePath}`;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** True when this request's path belongs to the simulator. */
  owns(url: string | undefined): boolean {
    return !!url && (url === this.basePath || url.startsWith(this.basePath + '/'));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const path = url.pathname.slice(this.basePath.length) || '/';
      const rawBody = await readBody(req);
      const host = req.headers.host ?? '127.0.0.1';
      const simReq: SimRequest = {
        method: req.method ?? 'GET',
        path,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: parseBody(rawBody, req.headers['content-type']),
        baseUrl: `http://${host}${this.basePath}`,
      };
      const match = this.match(simReq.method, path);
      if (!match) return send(res, { status: 404, body: { error: 'not_found', message: `no route ${simReq.method} ${path}` } });
      if (match.route.api) {
        this.calls.push({ method: simReq.method, path, at: new Date() });
        const fault = this.faults.draw();
        if (this.faults.current.latencyMs > 0) await sleep(this.faults.current.latencyMs);
        if (fault === 'timeout') {
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          return;
        }
        if (fault === 'error') return send(res, { status: 500, body: { error: 'internal_error', message: 'simulated failure' } });
      }
      send(res, await match.route.handler(simReq, match.params));
    } catch (error) {
      send(res, { status: 500, body: { error: 'simulator_error', message: (error as Error).message } });
    }
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(found[i + 1])));
      return { route, params };
    }
    return null;
  }
}

function send(res: ServerResponse, answer: SimResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  let payload: string | Buffer = '';
  if (Buffer.isBuffer(answer.body)) payload = answer.body;
  else if (typeof answer.body === 'string') payload = answer.body;
  else if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
