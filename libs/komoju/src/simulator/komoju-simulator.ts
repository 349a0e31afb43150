import { randomBytes } from 'node:crypto';
import {
  CallbackDispatcher,
  CallbackPolicy,
  Faults,
  htmlPage,
  redirect,
  SimRequest,
  SimResponse,
  SimulatorHttp,
} from '@paymux/simulator-kit';
import { signWebhook } from '../signature';
import {
  KOMOJU_CURRENCIES,
  KOMOJU_DEFAULT_EXPIRES_IN_SECONDS,
  KOMOJU_IDEMPOTENCY_HEADER,
  KOMOJU_PAYMENT_TYPES,
  KOMOJU_WEBHOOK_HEADERS,
  KOMOJU_WEBHOOK_USER_AGENT,
  KomojuClock,
  KomojuCreateSessionBody,
  KomojuCustomer,
  KomojuErrorBody,
  KomojuEvent,
  KomojuPayment,
  KomojuPaymentStatus,
  KomojuSession,
  SYSTEM_CLOCK,
} from '../types';
import { validateCreateSessionBody, KomojuValidationError } from './create-session-validation';
import { renderHostedPage } from './hosted-page';

/** Where the API lives below the simulator's base path, as on komoju.com (`/api/v1`). */
export const KOMOJU_SIMULATOR_API_PATH = '/api/v1';

export interface KomojuSimulatorOptions {
  /** Mount prefix when served inside another server (e.g. `/simulators/komoju`); '' on its own port. */
  basePath?: string;
  /** The only secret key the simulated account accepts (Basic user name). */
  secretKey: string;
  /** The dashboard's webhook URL; no webhooks are sent while unset. */
  webhookUrl?: string | null;
  /** The dashboard's webhook secret token. */
  webhookSecret: string;
  /** INFERRED retry schedule; default 5 attempts, 1 minute apart. */
  callbackPolicy?: Partial<CallbackPolicy>;
  clock?: KomojuClock;
  /** Account default for card payments: `auto` captures, `manual` only authorises. */
  capture?: 'auto' | 'manual';
  /** Currencies activated on the simulated account (default JPY, USD, EUR, KRW, TWD). */
  currencies?: readonly string[];
  /** Payment types activated on the simulated account (default every documented one). */
  paymentTypes?: readonly string[];
  /** Absolute URL the hosted pages are reached at (default: the base URL the API call came in on). */
  publicUrl?: string;
  /** How often to look for sessions past `expires_at`, in ms (default 1000). */
  expirySweepMs?: number;
}

const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { attempts: 5, intervalMs: 60_000, timeoutMs: 10_000 };

interface StoredCustomer {
  customer: KomojuCustomer;
}

interface StoredSession {
  session: KomojuSession;
  capture: 'auto' | 'manual';
  externalOrderNum: string | null;
  /** Set once `payment.expired` was sent, so expiry happens once. */
  expired: boolean;
}

/**
 * KOMOJU's Sessions API, hosted page and webhooks, in process (shared/providers/komoju.md).
 * Serve it with `listen()` or mount `http.handle(req, res)` under `basePath`.
 */
export class KomojuSimulator {
  readonly http: SimulatorHttp;
  readonly callbacks: CallbackDispatcher;
  private readonly sessions = new Map<string, StoredSession>();
  private readonly customers = new Map<string, StoredCustomer>();
  private readonly idempotency = new Map<string, string>();
  private readonly clock: KomojuClock;
  private readonly currencies: readonly string[];
  private readonly paymentTypes: readonly string[];
  private webhookUrl: string | null;
  private webhookSecret: string;
  private readonly capture: 'auto' | 'manual';
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly options: KomojuSimulatorOptions) {
    this.http = new SimulatorHttp(options.basePath ?? '');
    this.callbacks = new CallbackDispatcher({ ...DEFAULT_CALLBACK_POLICY, ...(options.callbackPolicy ?? {}) }, this.http.faults);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.currencies = options.currencies ?? KOMOJU_CURRENCIES;
    this.paymentTypes = options.paymentTypes ?? KOMOJU_PAYMENT_TYPES;
    this.webhookUrl = options.webhookUrl ?? null;
    this.webhookSecret = options.webhookSecret;
    this.capture = options.capture ?? 'auto';
    this.sweep = setInterval(() => this.expireDue(), options.expirySweepMs ?? 1000);
    this.sweep.unref();
    this.registerRoutes();
  }

  get faults(): Faults {
    return this.http.faults;
  }

  /** What a client needs to talk to this simulated account. */
  get credentials(): { secretKey: string; webhookSecret: string } {
    return { secretKey: this.options.secretKey, webhookSecret: this.webhookSecret };
  }

  /** Serves on its own port; answers the API base URL (`…/api/v1`). */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    return `${await this.http.listen(port, host)}${KOMOJU_SIMULATOR_API_PATH}`;
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    this.callbacks.close();
    await this.http.close();
  }

  /** The dashboard action: set the webhook URL (and secret); KOMOJU then sends `ping`. */
  configureWebhook(url: string, secret: string = this.webhookSecret): void {
    this.webhookUrl = url;
    this.webhookSecret = secret;
    this.emit('ping', { message: 'ping' }, `ping-${this.newId()}`);
  }

  // ---- test helpers -------------------------------------------------------------------------

  /** The session as `GET /sessions/{id}` would answer it (after any due expiry). */
  session(id: string): KomojuSession {
    return structuredClone(this.stored(id).session);
  }

  /** The customer completes the session with `paymentType` (default: the first offered). */
  pay(sessionId: string, paymentType?: string): KomojuSession {
    return structuredClone(this.complete(this.stored(sessionId), paymentType).session);
  }

  /** The customer's attempt fails (`payment.failed`); the session stays pending for a retry. */
  fail(sessionId: string, paymentType?: string): KomojuSession {
    return structuredClone(this.failAttempt(this.stored(sessionId), paymentType).session);
  }

  /** Moves the session past its expiry now. */
  expireNow(sessionId: string): KomojuSession {
    const stored = this.stored(sessionId);
    stored.session.expires_at = this.clock.now().toISOString();
    this.expire(stored);
    return structuredClone(stored.session);
  }

  /** Expires every pending session past `expires_at` (also runs on a timer and before each request). */
  expireDue(): void {
    const now = this.clock.now().getTime();
    for (const stored of this.sessions.values()) {
      if (!stored.expired && stored.session.status === 'pending' && Date.parse(stored.session.expires_at) <= now) this.expire(stored);
    }
  }

  /** API calls received (every route under `/api/v1`), optionally only those matching. */
  requestCount(filter: { method?: string; path?: string | RegExp } = {}): number {
    return this.http.calls.filter(
      (call) =>
        (!filter.method || call.method === filter.method) &&
        (!filter.path || (typeof filter.path === 'string' ? call.path === filter.path : filter.path.test(call.path))),
    ).length;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Resolves when no webhook delivery or retry is pending. */
  idle(): Promise<void> {
    return this.callbacks.idle();
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private registerRoutes(): void {
    const api = KOMOJU_SIMULATOR_API_PATH;
    this.http.route('POST', `${api}/sessions`, (req) => this.guarded(req, () => this.createSession(req)));
    this.http.route('GET', `${api}/sessions/:id`, (req, p) => this.guarded(req, () => ({ status: 200, body: this.stored(p.id).session })));
    this.http.route('POST', `${api}/sessions/:id/cancel`, (req, p) => this.guarded(req, () => this.cancel(p.id)));
    this.http.route('GET', '/sessions/:id', (_req, p) => this.page(p.id, () => renderHostedPage(this.stored(p.id).session)), false);
    this.http.route('POST', '/sessions/:id/pay', (req, p) => this.page(p.id, () => this.payFromPage(p.id, req)), false);
    this.http.route('POST', '/sessions/:id/fail', (_req, p) => this.page(p.id, () => this.failFromPage(p.id)), false);
    this.http.route('POST', '/sessions/:id/abandon', (_req, p) => this.page(p.id, () => this.leave(this.stored(p.id))), false);
  }

  /** Basic auth with the secret key as user name, then the handler; KOMOJU's error shape throughout. */
  private guarded(req: SimRequest, handler: () => SimResponse): SimResponse {
    this.expireDue();
    if (!this.authorised(req.headers.authorization)) {
      return komojuError(401, 'unauthorized', 'The secret key is missing or not valid', null);
    }
    try {
      return handler();
    } catch (error) {
      if (error instanceof KomojuValidationError) return { status: 400, body: error.toBody() };
      if (error instanceof SessionStateError) return komojuError(error.status, error.code, error.message, null);
      throw error;
    }
  }

  private authorised(header: string | undefined): boolean {
    const match = /^Basic (.+)$/i.exec(header ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    return user === this.options.secretKey;
  }

  private page(id: string, render: () => SimResponse): SimResponse {
    this.expireDue();
    if (!this.sessions.has(id)) return { ...htmlPage('Not found', '<h1>No such session</h1>'), status: 404 };
    try {
      return render();
    } catch (error) {
      if (error instanceof SessionStateError) return { ...renderHostedPage(this.stored(id).session, error.message), status: 409 };
      throw error;
    }
  }

  private createSession(req: SimRequest): SimResponse {
    const key = headerOf(req, KOMOJU_IDEMPOTENCY_HEADER);
    const replayed = key ? this.idempotency.get(key) : undefined;
    if (replayed) return { status: 200, body: this.stored(replayed).session };
    const body = validateCreateSessionBody(req.body, {
      currencies: this.currencies,
      paymentTypes: this.paymentTypes,
      customerExists: (id) => this.customers.has(id),
    });
    const stored = this.newSession(body, this.options.publicUrl ?? req.baseUrl);
    if (key) this.idempotency.set(key, stored.session.id);
    return { status: 200, body: stored.session };
  }

  private newSession(body: KomojuCreateSessionBody, baseUrl: string): StoredSession {
    const id = this.newId();
    const now = this.clock.now();
    const customerMode = body.mode === 'customer';
    const session: KomojuSession = {
      id,
      resource: 'session',
      mode: body.mode,
      amount: customerMode ? null : (body.amount ?? null),
      currency: customerMode ? null : (body.currency ?? null),
      session_url: `${baseUrl}/sessions/${id}`,
      return_url: body.return_url ?? null,
      default_locale: body.default_locale ?? 'ja',
      payment_methods: (body.payment_types ?? this.paymentTypes).map((type) => ({ type })),
      status: 'pending',
      email: body.email ?? null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + (body.expires_in_seconds ?? KOMOJU_DEFAULT_EXPIRES_IN_SECONDS) * 1000).toISOString(),
      cancelled_at: null,
      completed_at: null,
      payment: null,
      customer_id: body.customer_id ?? null,
      external_customer_id: body.external_customer_id ?? null,
      line_items: body.line_items ?? [],
      metadata: body.metadata ?? {},
    };
    const stored: StoredSession = {
      session,
      capture: body.payment_data?.capture ?? this.capture,
      externalOrderNum: body.payment_data?.external_order_num ?? null,
      expired: false,
    };
    this.sessions.set(id, stored);
    return stored;
  }

  private cancel(id: string): SimResponse {
    const stored = this.stored(id);
    const { session } = stored;
    if (session.status === 'completed') throw new SessionStateError(400, 'bad_request', 'A completed session cannot be cancelled');
    if (session.status === 'cancelled') return { status: 200, body: session };
    session.status = 'cancelled';
    session.cancelled_at = this.clock.now().toISOString();
    if (session.mode !== 'customer') {
      session.payment = this.newPayment(stored, 'cancelled', session.payment?.payment_details?.type ?? null);
      this.emitPayment('payment.cancelled', stored, 'the merchant cancelled the session');
    }
    return { status: 200, body: session };
  }

  private payFromPage(id: string, req: SimRequest): SimResponse {
    const chosen = (req.body as Record<string, unknown> | undefined)?.payment_type;
    return this.leave(this.complete(this.stored(id), typeof chosen === 'string' ? chosen : undefined));
  }

  private failFromPage(id: string): SimResponse {
    const stored = this.failAttempt(this.stored(id));
    return renderHostedPage(stored.session, 'The payment failed. You may try again.');
  }

  /** Back to `return_url` with `session_id` appended (completed or aborted alike). */
  private leave(stored: StoredSession): SimResponse {
    const { session } = stored;
    if (!session.return_url) return renderHostedPage(session);
    const url = new URL(session.return_url);
    url.searchParams.set('session_id', session.id);
    return redirect(url.toString());
  }

  // ---- state changes ------------------------------------------------------------------------

  private complete(stored: StoredSession, paymentType?: string): StoredSession {
    const { session } = stored;
    this.assertPending(stored);
    const type = this.offeredType(session, paymentType);
    const now = this.clock.now().toISOString();
    if (session.mode !== 'payment') this.saveCustomer(stored);
    if (session.mode !== 'customer') {
      const status: KomojuPaymentStatus = stored.capture === 'manual' ? 'authorized' : 'captured';
      session.payment = this.newPayment(stored, status, type);
    }
    session.status = 'completed';
    session.completed_at = now;
    if (session.payment) this.emitPayment(session.payment.status === 'captured' ? 'payment.captured' : 'payment.authorized', stored, null);
    return stored;
  }

  private failAttempt(stored: StoredSession, paymentType?: string): StoredSession {
    this.assertPending(stored);
    const type = this.offeredType(stored.session, paymentType);
    stored.session.payment = this.newPayment(stored, 'failed', type);
    this.emitPayment('payment.failed', stored, 'the customer\'s payment attempt failed');
    return stored;
  }

  private expire(stored: StoredSession): void {
    if (stored.expired || stored.session.status !== 'pending') return;
    stored.expired = true;
    // INFERRED: expiry shows as an expired payment on a session that stays `pending` but can no
    // longer be completed. A session whose last attempt failed keeps that failed payment (the
    // customer gave up after a failure), and customer mode has no payment: both only close.
    if (stored.session.mode === 'customer' || stored.session.payment?.status === 'failed') return;
    stored.session.payment = this.newPayment(stored, 'expired', null);
    this.emitPayment('payment.expired', stored, 'the session expired');
  }

  private saveCustomer(stored: StoredSession): void {
    const { session } = stored;
    const existing = session.customer_id ? this.customers.get(session.customer_id) : undefined;
    const customer: KomojuCustomer = existing?.customer ?? {
      id: this.newId(),
      resource: 'customer',
      email: session.email,
      external_customer_id: session.external_customer_id,
      session: session.id,
      metadata: {},
      created_at: this.clock.now().toISOString(),
    };
    customer.session = session.id;
    customer.metadata = { ...session.metadata };
    if (session.email) customer.email = session.email;
    this.customers.set(customer.id, { customer });
    session.customer_id = customer.id;
    this.emit(existing ? 'customer.updated' : 'customer.created', structuredClone(customer), session.id);
  }

  private assertPending(stored: StoredSession): void {
    const { session } = stored;
    if (session.status !== 'pending') throw new SessionStateError(409, 'bad_request', `This session is ${session.status}`);
    if (stored.expired) throw new SessionStateError(409, 'bad_request', 'This session has expired');
  }

  private offeredType(session: KomojuSession, paymentType?: string): string {
    const offered = session.payment_methods.map((method) => method.type);
    if (paymentType === undefined) return offered[0];
    if (!offered.includes(paymentType)) throw new SessionStateError(409, 'invalid_parameter', `${paymentType} is not offered by this session`);
    return paymentType;
  }

  private newPayment(stored: StoredSession, status: KomojuPaymentStatus, type: string | null): KomojuPayment {
    const { session } = stored;
    const now = this.clock.now().toISOString();
    return {
      id: this.newId(),
      resource: 'payment',
      status,
      amount: session.amount ?? 0,
      currency: session.currency ?? 'JPY',
      payment_details: type ? { type } : null,
      session: session.id,
      customer: session.mode === 'customer_payment' ? session.customer_id : null,
      metadata: { ...session.metadata },
      external_order_num: stored.externalOrderNum,
      created_at: now,
      captured_at: status === 'captured' ? now : null,
    };
  }

  // ---- webhooks -----------------------------------------------------------------------------

  private emitPayment(type: string, stored: StoredSession, reason: string | null): void {
    this.emit(type, structuredClone(stored.session.payment!), stored.session.id, reason);
  }

  private emit(type: string, data: KomojuEvent['data'], group: string, reason: string | null = null): void {
    if (!this.webhookUrl) return;
    const event: KomojuEvent = { id: this.newId(), type, resource: 'event', data, created_at: this.clock.now().toISOString(), reason };
    const body = Buffer.from(JSON.stringify(event));
    const headers = (secret: string): Record<string, string> => ({
      [KOMOJU_WEBHOOK_HEADERS.signature]: signWebhook(body, secret),
      [KOMOJU_WEBHOOK_HEADERS.event]: type,
      // One id per event, kept across retries, so the receiver can de-duplicate on it.
      [KOMOJU_WEBHOOK_HEADERS.id]: event.id,
      'User-Agent': KOMOJU_WEBHOOK_USER_AGENT,
    });
    this.callbacks.send({
      url: this.webhookUrl,
      body,
      headers: headers(this.webhookSecret),
      signWrong: () => headers(`${this.webhookSecret}-wrong`),
      group,
    });
  }

  private stored(id: string): StoredSession {
    const stored = this.sessions.get(id);
    if (!stored) throw new SessionStateError(404, 'not_found', 'No such session');
    return stored;
  }

  private newId(): string {
    return randomBytes(13).toString('hex');
  }
}

class SessionStateError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function komojuError(status: number, code: string, message: string, param: string | null): SimResponse {
  const body: KomojuErrorBody = { error: { code, message, param } };
  return { status, body };
}

function headerOf(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
