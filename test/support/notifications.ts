import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Clock } from '../../src/clock';
import { DeliverNotificationsJob } from '../../src/notifications/deliver-notifications.job';
import { Delivery } from '../../src/notifications/delivery.entity';
import { Session } from '../../src/sessions/session.entity';
import { SessionTransitions, StatusChange } from '../../src/sessions/session-transitions';
import type { TestApp } from './app';

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** The body exactly as received, as a merchant's framework would hand it over raw. */
  rawBody: Buffer;
  at: number;
}

/** How a receiver answers its n-th request (0-based); the default is 200 "ok". */
export type Answer = (request: ReceivedRequest, response: ServerResponse, n: number) => void;

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** TCP connections accepted, including ones that never became a request. */
  connections: number;
  /** Requests being answered right now. */
  inFlight: number;
  answer: Answer;
  close(): Promise<void>;
}

export const answerOk: Answer = (_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');

/** A real merchant-side HTTP server on a free local port that records every request. */
export async function startReceiver(answer: Answer = answerOk): Promise<Receiver> {
  const sockets = new Set<Socket>();
  const receiver: Receiver = { url: '', requests: [], connections: 0, inFlight: 0, answer, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, rawBody: Buffer.concat(chunks), at: Date.now() };
      const n = receiver.requests.push(request) - 1;
      receiver.inFlight += 1;
      res.on('close', () => (receiver.inFlight -= 1));
      receiver.answer(request, res, n);
    });
  });
  server.on('connection', (socket) => {
    receiver.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return receiver;
}

/** Inserts an open session row straight into the database, as the sessions API would have. */
export async function insertSession(app: TestApp, fields: Partial<Session> = {}): Promise<Session> {
  const em = app.em();
  const now = app.paymux.app.get(Clock).now();
  const session = Object.assign(new Session(), {
    provider: 'spayon',
    amount: 500000,
    currency: 'AMD',
    returnUrl: 'https://shop.example/return',
    expiresAt: new Date(now.getTime() + 15 * 60_000),
    createdAt: now,
    updatedAt: now,
    ...fields,
  });
  await em.persistAndFlush(session);
  return session;
}

export function transition(app: TestApp, sessionId: string, to: StatusChange['to']) {
  return app.paymux.app.get(SessionTransitions).transition(sessionId, { to, source: 'webhook' });
}

/** One run of the delivery job, as the scheduler would start it. */
export function deliverNow(app: TestApp) {
  return app.paymux.app.get(DeliverNotificationsJob).run({ signal: new AbortController().signal, instanceId: 'test' });
}

export function clockOf(app: TestApp): Clock {
  return app.paymux.app.get(Clock);
}

export async function deliveriesOf(app: TestApp, eventId: string): Promise<Delivery[]> {
  return app.em().find(Delivery, { eventId }, { orderBy: { id: 'asc' } });
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
