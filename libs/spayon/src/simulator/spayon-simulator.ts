import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { normalizeCurrency } from '@paymux/payments';
import {
  CallbackDispatcher,
  CallbackPolicy,
  Faults,
  redirect,
  SimRequest,
  SimResponse,
  SimulatorHttp,
} from '@paymux/simulator-kit';
import { Clock, systemClock } from '@paymux/payments';
import { signCallback } from '../signature';
import {
  findDeclineCode,
  SPAYON_CURRENCIES,
  SPAYON_SESSION_TTL_SECONDS,
  SPAYON_TOKEN_TTL_SECONDS,
  SpayonCreateSessionResponse,
  SpayonCurrency,
} from '../types';
import { SimulatorProduct, validateCreateSession } from './create-session-validation';
import { expiredPage, paymentPage, unknownSessionPage, usedPage } from './hosted-page';
import { SimulatorSession, toCallbackBody, toStatusAnswer } from './simulator-session';

export interface SpayonSimulatorProductInput {
  id: number;
  name: string;
  /** Major units: `"5000.00"` or `5000`. */
  price: string | number;
  currency: string;
}

export interface SpayonSimulatorOptions {
  /** `''` when it runs on its own port, e.g. `/simulators/spayon` when mounted in the app. */
  basePath?: string;
  clientId: string;
  clientSecret: string;
  callbackSecret: string;
  /** Production rules: `https` for callback_url and return_url. Default false (staging). */
  production?: boolean;
  /** Default: 3 attempts, 5 minutes apart (Callbacks, Retries); tests shorten the interval. */
  callbackPolicy?: Partial<CallbackPolicy>;
  clock?: Clock;
  /** The vendor panel's products, for the product_id option. */
  products?: SpayonSimulatorProductInput[];
  /** Default 3600 s, as the docs show. */
  tokenTtlSeconds?: number;
  /** Where buyers reach the simulator, when not the URL the API was called on (a proxy). */
  publicBaseUrl?: string;
  /** How often expired sessions are looked for in the background; default 1000 ms. */
  expirySweepMs?: number;
}

export const DEFAULT_SPAYON_CALLBACK_POLICY: Readonly<CallbackPolicy> = Object.freeze({
  attempts: 3,
  intervalMs: 5 * 60_000,
  timeoutMs: 10_000,
});

export interface SpayonSimulatorRequestCounts {
  tokens: number;
  createSession: number;
  getSession: number;
}

const UNAUTHORIZED: SimResponse = { status: 401, body: { statusCode: 401, message: 'Unauthorized' } };

/**
 * An in-memory Spayon: the documented API, the hosted page, expiry and signed callbacks with
 * Spayon's retry policy, plus the kit's fault knobs and programmatic controls for tests.
 */
export class SpayonSimulator {
  readonly http: SimulatorHttp;
  readonly callbacks: CallbackDispatcher;
  private readonly clock: Clock;
  private readonly products = new Map<number, SimulatorProduct>();
  private readonly sessionsById = new Map<string, SimulatorSession>();
  /** Issued access tokens → expiry (epoch ms). */
  private readonly tokens = new Map<string, number>();
  private readonly tokenKey = randomBytes(32);
  private nextTransactionId = 100;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(private readonly options: SpayonSimulatorOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = new SimulatorHttp(options.basePath ?? '');
    this.callbacks = new CallbackDispatcher({ ...DEFAULT_SPAYON_CALLBACK_POLICY, ...options.callbackPolicy }, this.http.faults);
    for (const product of options.products ?? []) this.addProduct(product);
    this.registerApi();
    this.registerPages();
    this.registerControls();
    this.sweepTimer = setInterval(() => this.sweepExpired(), options.expirySweepMs ?? 1000);
    this.sweepTimer.unref();
  }

  get faults(): Faults {
    return this.http.faults;
  }

  /** API calls received (including those a fault knob answered), by documented endpoint. */
  get requests(): SpayonSimulatorRequestCounts {
    const counts = { tokens: 0, createSession: 0, getSession: 0 };
    for (const call of this.http.calls) {
      if (call.method === 'POST' && call.path === '/api/tokens') counts.tokens++;
      else if (call.method === 'POST' && call.path === '/api/product/session') counts.createSession++;
      else if (call.method === 'GET' && call.path.startsWith('/api/product/session/')) counts.getSession++;
    }
    return counts;
  }

  /** Runs on its own port; answers the base URL to give the client. */
  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    return this.http.listen(port, host);
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.callbacks.close();
    await this.http.close();
  }

  addProduct(input: SpayonSimulatorProductInput): void {
    const currency = normalizeCurrency(input.currency);
    if (!(SPAYON_CURRENCIES as readonly string[]).includes(currency)) throw new Error(`Spayon does not sell in ${currency}`);
    const price = typeof input.price === 'number' ? String(input.price) : input.price;
    this.products.set(input.id, { id: input.id, name: input.name, price, currency: currency as SpayonCurrency });
  }

  /** A copy of a session's state, for tests. */
  session(sessionId: string): Readonly<SimulatorSession> | undefined {
    this.sweepExpired();
    const session = this.sessionsById.get(sessionId);
    return session && { ...session, declineReasons: [...session.declineReasons] };
  }

  /** The buyer pays: `paid`, then the signed callback. */
  pay(sessionId: string): void {
    const session = this.payable(sessionId);
    this.finish(session, 'paid');
  }

  /** The buyer is declined with a decline code and the session fails. */
  decline(sessionId: string, code: string): void {
    const session = this.payable(sessionId);
    this.recordDecline(session, code);
    this.finish(session, 'failed');
  }

  /** One declined attempt; the buyer may try again within the session (no callback yet). */
  declineAttempt(sessionId: string, code: string): void {
    const session = this.payable(sessionId);
    this.recordDecline(session, code);
    session.updatedAt = this.clock.now();
  }

  /** Expires a pending session now, as if its 15 minutes had passed. */
  expireNow(sessionId: string): void {
    this.finish(this.payable(sessionId), 'expired');
  }

  /** Expires every pending session whose 15 minutes have passed on the clock. */
  sweepExpired(): void {
    const now = this.clock.now().getTime();
    for (const session of this.sessionsById.values()) {
      if (session.status === 'pending' && session.expiresAt.getTime() <= now) this.finish(session, 'expired');
    }
  }

  /** Forgets every issued token: the next session call with an old token gets a 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  private registerApi(): void {
    this.http.route('POST', '/api/tokens', (req) => this.issueToken(req));
    this.http.route('POST', '/api/product/session', (req) => this.authorized(req, () => this.createSession(req)));
    this.http.route('GET', '/api/product/session/:id', (req, params) =>
      this.authorized(req, () => {
        const session = this.sessionsById.get(params.id);
        if (!session) return { status: 404, body: { statusCode: 404, message: `Session ${params.id} not found` } };
        return { status: 200, body: toStatusAnswer(session) };
      }),
    );
  }

  private registerPages(): void {
    this.http.route('GET', '/session/:id', (_req, params) => this.page(params.id, (session) => paymentPage(session)), false);
    this.http.route('POST', '/session/:id/pay', (_req, params) => this.page(params.id, (session) => {
      this.finish(session, 'paid');
      return redirect(returnUrlFor(session));
    }), false);
    this.http.route('POST', '/session/:id/decline', (req, params) => this.page(params.id, (session) => {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const code = typeof form.code === 'string' && form.code ? form.code : '05';
      this.recordDecline(session, code);
      if (form.retry) {
        session.updatedAt = this.clock.now();
        // Back to the page itself (it tells the decline), so its relative form actions resolve as before.
        return redirect(`../${encodeURIComponent(session.id)}`);
      }
      this.finish(session, 'failed');
      return redirect(returnUrlFor(session));
    }), false);
    // Back only leaves the page: the session stays payable until it expires (Constraints).
    this.http.route('POST', '/session/:id/back', (_req, params) =>
      this.page(params.id, (session) => (session.cancelUrl ? redirect(session.cancelUrl) : paymentPage(session))), false);
  }

  /** `POST <base>/__control/...`: the programmatic helpers over HTTP, for manual testing. */
  private registerControls(): void {
    const control = (action: (id: string, body: Record<string, unknown>) => void) => (req: SimRequest, params: Record<string, string>): SimResponse => {
      try {
        action(params.id, (req.body ?? {}) as Record<string, unknown>);
      } catch (error) {
        return { status: 409, body: { message: (error as Error).message } };
      }
      return { status: 200, body: this.session(params.id) };
    };
    this.http.route('GET', '/__control/sessions/:id', (_req, params) => {
      const session = this.session(params.id);
      return session ? { status: 200, body: session } : { status: 404, body: { message: 'no such session' } };
    }, false);
    this.http.route('POST', '/__control/sessions/:id/pay', control((id) => this.pay(id)), false);
    this.http.route('POST', '/__control/sessions/:id/decline', control((id, body) => this.decline(id, typeof body.code === 'string' ? body.code : '05')), false);
    this.http.route('POST', '/__control/sessions/:id/expire', control((id) => this.expireNow(id)), false);
    this.http.route('POST', '/__control/products', (req) => {
      try {
        this.addProduct(req.body as SpayonSimulatorProductInput);
      } catch (error) {
        return { status: 400, body: { message: (error as Error).message } };
      }
      return { status: 200, body: [...this.products.values()] };
    }, false);
    this.http.route('POST', '/__control/revoke-tokens', () => {
      this.revokeTokens();
      return { status: 204 };
    }, false);
    this.http.route('GET', '/__control/deliveries', () => ({ status: 200, body: this.callbacks.deliveries }), false);
  }

  private issueToken(req: SimRequest): SimResponse {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.client_id !== this.options.clientId || body.client_secret !== this.options.clientSecret) {
      return { status: 401, body: { statusCode: 401, message: 'Invalid client credentials' } };
    }
    const ttlSeconds = this.options.tokenTtlSeconds ?? SPAYON_TOKEN_TTL_SECONDS;
    const issuedAt = this.clock.now().getTime();
    const token = this.jwt({ sub: this.options.clientId, iat: Math.floor(issuedAt / 1000), exp: Math.floor(issuedAt / 1000) + ttlSeconds, jti: randomUUID() });
    this.tokens.set(token, issuedAt + ttlSeconds * 1000);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds } };
  }

  private authorized(req: SimRequest, handler: () => SimResponse): SimResponse {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt <= this.clock.now().getTime()) return UNAUTHORIZED;
    this.sweepExpired();
    return handler();
  }

  private createSession(req: SimRequest): SimResponse {
    const verdict = validateCreateSession(req.body, {
      production: this.options.production ?? false,
      findProduct: (id) => this.products.get(id),
    });
    if (!verdict.ok) return { status: 400, body: { statusCode: 400, message: verdict.errors, error: 'Bad Request' } };
    const now = this.clock.now();
    const session: SimulatorSession = {
      ...verdict.value,
      id: randomUUID(),
      status: 'pending',
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + SPAYON_SESSION_TTL_SECONDS * 1000),
      declineReasons: [],
    };
    this.sessionsById.set(session.id, session);
    const base = (this.options.publicBaseUrl ?? req.baseUrl).replace(/\/+$/, '');
    const answer: SpayonCreateSessionResponse = {
      session_url: `${base}/session/${session.id}`,
      session_id: session.id,
      status: session.status,
      order_id: session.orderId,
    };
    return { status: 200, body: answer };
  }

  /** Runs a page action on a session that can still be used; otherwise says why not. */
  private page(sessionId: string, action: (session: SimulatorSession) => SimResponse): SimResponse {
    this.sweepExpired();
    const session = this.sessionsById.get(sessionId);
    if (!session) return unknownSessionPage();
    if (session.status === 'expired') return expiredPage();
    if (session.status !== 'pending') return usedPage(session);
    return action(session);
  }

  private payable(sessionId: string): SimulatorSession {
    this.sweepExpired();
    const session = this.sessionsById.get(sessionId);
    if (!session) throw new Error(`no Spayon session ${sessionId}`);
    if (session.status !== 'pending') throw new Error(`Spayon session ${sessionId} is ${session.status}, not pending`);
    return session;
  }

  private recordDecline(session: SimulatorSession, code: string): void {
    session.declineReasons.push({
      transactionId: this.nextTransactionId++,
      responseCode: code,
      responseReasonEn: findDeclineCode(code)?.reasonEn ?? 'Declined',
    });
  }

  private finish(session: SimulatorSession, status: 'paid' | 'failed' | 'expired'): void {
    session.status = status;
    session.updatedAt = this.clock.now();
    this.sendCallback(session);
  }

  /** Signs the exact bytes it sends (Callbacks, Signature). */
  private sendCallback(session: SimulatorSession): void {
    const body = Buffer.from(JSON.stringify(toCallbackBody(session)), 'utf8');
    const secret = this.options.callbackSecret;
    this.callbacks.send({
      url: session.callbackUrl,
      body,
      headers: { 'X-Signature': signCallback(body, secret) },
      signWrong: () => ({ 'X-Signature': signCallback(body, `${secret}-wrong`) }),
      // Spayon sends one callback per session, so the out-of-order knob reorders across sessions.
      group: 'spayon',
    });
  }

  private jwt(payload: Record<string, unknown>): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
    return `${unsigned}.${createHmac('sha256', this.tokenKey).update(unsigned).digest('base64url')}`;
  }
}

/** The buyer lands on return_url whatever the result, with `session_id` in the query string. */
function returnUrlFor(session: SimulatorSession): string {
  const url = new URL(session.returnUrl);
  url.searchParams.set('session_id', session.id);
  return url.toString();
}
