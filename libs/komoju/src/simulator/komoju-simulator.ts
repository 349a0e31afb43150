import { Clock, systemClock } from '@paymux/payments';
import { CallbackDispatcher, CallbackPolicy, Faults, htmlPage, redirect, SimRequest, SimResponse, SimulatorHttp } from '@paymux/simulator-kit';
import { signWebhook } from '../signature';
import {
  KOMOJU_CURRENCIES,
  KOMOJU_IDEMPOTENCY_HEADER,
  KOMOJU_PAYMENT_TYPES,
  KOMOJU_WEBHOOK_HEADERS,
  KOMOJU_WEBHOOK_USER_AGENT,
  KomojuErrorBody,
  KomojuEvent,
  KomojuSession,
} from '../types';
import { validateCreateSessionBody, KomojuValidationError } from './create-session-validation';
import { renderHostedPage } from './hosted-page';
import { IdempotencyStore } from './idempotency';
import { KomojuAccount, SessionStateError } from './account';
import { KomojuRefundRoute } from './refund-route';
import { capturePaymentCall } from './capture-call';
import { ChargeOverride, komojuId, newSessionObject, StoredSession } from './resources';

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
  /** NOT IN PUBLIC DOCS retry schedule; default 5 attempts, 1 minute apart. */
  callbackPolicy?: Partial<CallbackPolicy>;
  clock?: Clock;
  /** Account default for card payments when the session does not say: `auto` captures, `manual` only authorises. */
  capture?: 'auto' | 'manual';
  /** Currencies activated on the simulated account (default JPY, USD, EUR, KRW, TWD). */
  currencies?: readonly string[];
  /** Payment types activated on the simulated account (default every documented one). */
  paymentTypes?: readonly string[];
  /** Absolute URL the hosted pages are reached at (default: the base URL the API call came in on). */
  publicUrl?: string;
  /** How often to look for sessions and reservations past their time, in ms (default 1000). */
  expirySweepMs?: number;
  /** How long a konbini / bank_transfer / pay_easy reservation waits (default three days). */
  paymentDeadlineMs?: number;
  /** How long a card authorized under manual capture stays on hold before it lapses (default seven days). */
  holdMs?: number;
}

/** KOMOJU-specific test knobs, beside the kit's (`faults`). */
export interface KomojuFaultKnobs extends ChargeOverride {
  /** How long `POST /sessions` takes, so a retry with the same idempotency key meets the first in flight. */
  createDelayMs: number;
}
const NO_KOMOJU_FAULTS: Readonly<KomojuFaultKnobs> = Object.freeze({ amountDelta: 0, currency: null, createDelayMs: 0 });

const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { attempts: 5, intervalMs: 60_000, timeoutMs: 10_000 };

/**
 * KOMOJU's Sessions API, hosted page and webhooks, in process (shared/providers/komoju.md).
 * Serve it with `listen()` or mount `http.handle(req, res)` under `basePath`.
 */
export class KomojuSimulator {
  readonly http: SimulatorHttp;
  readonly callbacks: CallbackDispatcher;
  komojuFaults: KomojuFaultKnobs = { ...NO_KOMOJU_FAULTS };
  private readonly account: KomojuAccount;
  private readonly idempotency: IdempotencyStore;
  private readonly clock: Clock;
  private readonly currencies: readonly string[];
  private readonly paymentTypes: readonly string[];
  private webhookUrl: string | null;
  private webhookSecret: string;
  private readonly sweep: NodeJS.Timeout;
  /** `POST /payments/{id}/refund`, `GET /payments/{id}` and the refund knobs (`refunds.setFaults`). */
  readonly refunds: KomojuRefundRoute;

  constructor(private readonly options: KomojuSimulatorOptions) {
    this.http = new SimulatorHttp(options.basePath ?? '');
    this.callbacks = new CallbackDispatcher({ ...DEFAULT_CALLBACK_POLICY, ...(options.callbackPolicy ?? {}) }, this.http.faults);
    this.clock = options.clock ?? systemClock;
    this.idempotency = new IdempotencyStore(() => this.clock.now().getTime());
    this.account = new KomojuAccount(this.clock, () => this.komojuFaults, (type, data, group, reason) => this.emit(type, data, group, reason ?? null), options.paymentDeadlineMs, options.holdMs);
    this.currencies = options.currencies ?? KOMOJU_CURRENCIES;
    this.paymentTypes = options.paymentTypes ?? KOMOJU_PAYMENT_TYPES;
    this.webhookUrl = options.webhookUrl ?? null;
    this.webhookSecret = options.webhookSecret;
    this.refunds = new KomojuRefundRoute(this.account, this.clock);
    this.sweep = setInterval(() => this.expireDue(), options.expirySweepMs ?? 1000);
    this.sweep.unref();
    this.registerRoutes();
  }

  get faults(): Faults {
    return this.http.faults;
  }

  /** Sets KOMOJU-specific knobs (also `POST <base>/__komoju_faults`); `faults.reset()` does not touch them. */
  setKomojuFaults(changes: Partial<KomojuFaultKnobs>): void {
    this.komojuFaults = { ...this.komojuFaults, ...changes };
  }

  resetKomojuFaults(): void {
    this.komojuFaults = { ...NO_KOMOJU_FAULTS };
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
    this.emit('ping', { message: 'ping' }, `ping-${komojuId()}`);
  }

  // ---- test helpers: what the customer, the store or the merchant does --------------------------

  /** The session as `GET /sessions/{id}` would answer it (after any due expiry). */
  session(id: string): KomojuSession {
    this.expireDue();
    return structuredClone(this.stored(id).session);
  }

  /**
   * The customer completes the session with `paymentType` (default: the first offered): a card is
   * captured (or authorized under manual capture); konbini, bank_transfer and pay_easy are
   * reserved (`authorized`, with `payment_deadline`) until paid at the store or expired.
   */
  pay(sessionId: string, paymentType?: string): KomojuSession {
    return this.act(sessionId, (stored) => this.account.complete(stored, paymentType));
  }

  /** The customer pays a reserved konbini-like payment at the store / bank: `payment.captured`. */
  payAtStore(sessionId: string): KomojuSession {
    return this.act(sessionId, (stored) => this.account.payAtStore(stored));
  }

  /** The merchant captures an authorized card payment, in part with `amount` (`POST /payments/{id}/capture`). */
  capture(sessionId: string, amount?: number): KomojuSession {
    return this.act(sessionId, (stored) => this.account.capture(stored, amount));
  }

  /** The merchant refunds a captured payment, in part with `amount` (`POST /payments/{id}/refund`). */
  refund(sessionId: string, amount?: number, description?: string): KomojuSession {
    return this.act(sessionId, (stored) => this.account.refund(stored, amount, description));
  }

  /** The merchant cancels a pending or authorized payment (`POST /payments/{id}/cancel`). */
  cancelPayment(sessionId: string): KomojuSession {
    return this.act(sessionId, (stored) => this.account.cancelPayment(stored));
  }

  /** The customer's attempt fails (`payment.failed`); the session stays pending for a retry. */
  fail(sessionId: string, paymentType?: string): KomojuSession {
    return this.act(sessionId, (stored) => this.account.fail(stored, paymentType));
  }

  /** Moves the deadline to now: a reservation expires (`payment.expired`), else the session. */
  expireNow(sessionId: string): KomojuSession {
    return this.act(sessionId, (stored) => this.account.expireNow(stored));
  }

  /** Marks due sessions expired and expires due reservations (also on a timer and before each request). */
  expireDue(): void {
    this.account.expireDue();
  }

  /** The `external_customer_id` a session was created with (the Session object does not show it). */
  externalCustomerIdOf(sessionId: string): string | null {
    return this.stored(sessionId).externalCustomerId;
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
    return this.account.size;
  }

  /** Resolves when no webhook delivery or retry is pending. */
  idle(): Promise<void> {
    return this.callbacks.idle();
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private registerRoutes(): void {
    const api = KOMOJU_SIMULATOR_API_PATH;
    this.http.route('POST', `${api}/sessions`, (req) => this.createSession(req));
    this.http.route('GET', `${api}/sessions/:id`, (req, p) => this.guarded(req, () => ({ status: 200, body: this.stored(p.id).session })));
    this.http.route('POST', `${api}/sessions/:id/cancel`, (req, p) => this.guarded(req, () => ({ status: 200, body: this.account.cancelSession(this.stored(p.id)) })));
    this.refunds.register(this.http, api, (req, handler) => this.guarded(req, handler));
    this.http.route('POST', `${api}/payments/:id/capture`, (req, p) => this.guarded(req, () => capturePaymentCall(this.account, p.id, req)));
    this.http.route('POST', `${api}/payments/:id/cancel`, (req, p) => this.guarded(req, () => {
      const stored = this.account.storedByPayment(p.id);
      this.account.cancelPayment(stored);
      return { status: 200, body: stored.session.payment };
    }));
    this.http.route('POST', '/__komoju_faults', (req) => {
      this.setKomojuFaults((req.body ?? {}) as Partial<KomojuFaultKnobs>);
      return { status: 200, body: this.komojuFaults };
    }, false);
    this.http.route('GET', '/sessions/:id', (_req, p) => this.page(p.id, () => renderHostedPage(this.stored(p.id).session)), false);
    this.http.route('POST', '/sessions/:id/pay', (req, p) => this.page(p.id, () => this.leave(this.account.complete(this.stored(p.id), formField(req, 'payment_type')))), false);
    this.http.route('POST', '/sessions/:id/pay-at-store', (_req, p) => this.page(p.id, () => renderHostedPage(this.payAtStore(p.id), 'Paid at the store. Thank you!')), false);
    this.http.route('POST', '/sessions/:id/fail', (req, p) => this.page(p.id, () => renderHostedPage(this.fail(p.id, formField(req, 'payment_type')), 'The payment failed. You may try again.')), false);
    this.http.route('POST', '/sessions/:id/abandon', (_req, p) => this.page(p.id, () => this.leave(this.stored(p.id))), false);
  }

  /** Basic auth with the secret key as user name, then the handler; KOMOJU's error shape throughout. */
  private guarded(req: SimRequest, handler: () => SimResponse): SimResponse {
    this.expireDue();
    if (!this.authorised(req.headers.authorization)) return komojuError(401, 'unauthorized', 'The API key is missing or not valid', null);
    try {
      return handler();
    } catch (error) {
      if (error instanceof KomojuValidationError) return { status: error.httpStatus, body: error.toBody() };
      if (error instanceof SessionStateError) return komojuError(error.status, error.code, error.message, null);
      throw error;
    }
  }

  private authorised(header: string | undefined): boolean {
    const match = /^Basic (.+)$/i.exec(header ?? '');
    if (!match) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon !== -1 && decoded.slice(0, colon) === this.options.secretKey && decoded.slice(colon + 1) === '';
  }

  private page(id: string, render: () => SimResponse): SimResponse {
    this.expireDue();
    if (!this.account.has(id)) return { ...htmlPage('Not found', '<h1>No such session</h1>'), status: 404 };
    try {
      return render();
    } catch (error) {
      if (error instanceof SessionStateError) return { ...renderHostedPage(this.stored(id).session, error.message), status: 409 };
      throw error;
    }
  }

  /** Idempotency (same key + body → the first answer; in flight → 409), then validation, then create. */
  private async createSession(req: SimRequest): Promise<SimResponse> {
    const unauthorised = this.guarded(req, () => ({ status: 0 }));
    if (unauthorised.status !== 0) return unauthorised;
    const key = headerOf(req, KOMOJU_IDEMPOTENCY_HEADER);
    const claim = key === undefined ? null : this.idempotency.claim(key, req.rawBody);
    if (claim?.kind === 'bad_key') return komojuError(400, 'bad_request', `${KOMOJU_IDEMPOTENCY_HEADER} must be 1 to 100 ASCII characters`, KOMOJU_IDEMPOTENCY_HEADER);
    if (claim?.kind === 'in_flight') return komojuError(409, 'conflict', 'A request with this idempotency key is still being processed', KOMOJU_IDEMPOTENCY_HEADER);
    if (claim?.kind === 'other_body') return komojuError(422, 'unprocessable_entity', 'This idempotency key was used with another request body', KOMOJU_IDEMPOTENCY_HEADER);
    if (claim?.kind === 'replay') return claim.answer;
    if (this.komojuFaults.createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.komojuFaults.createDelayMs));
    const answer = this.guarded(req, () => {
      const body = validateCreateSessionBody(req.body, { currencies: this.currencies, paymentTypes: this.paymentTypes, customerExists: (id) => this.account.customerExists(id) });
      const stored = newSessionObject(body, komojuId(), this.options.publicUrl ?? req.baseUrl, this.clock.now(), this.paymentTypes);
      if (!body.payment_data?.capture) stored.capture = this.options.capture ?? 'auto';
      this.account.add(stored);
      return { status: 200, body: stored.session };
    });
    if (claim?.kind === 'run') {
      if (answer.status >= 500) claim.abandon();
      else claim.finish(answer);
    }
    return answer;
  }

  /** Back to `return_url` with `session_id` appended (completed or aborted alike). */
  private leave(stored: StoredSession): SimResponse {
    const { session } = stored;
    if (!session.return_url) return renderHostedPage(session);
    const url = new URL(session.return_url);
    url.searchParams.set('session_id', session.id);
    return redirect(url.toString());
  }

  // ---- webhooks -----------------------------------------------------------------------------

  /** A signed Event; its delivery has an `X-Komoju-ID` of its own, never the event's `id`. */
  private emit(type: string, data: KomojuEvent['data'], group: string, reason: string | null = null): void {
    if (!this.webhookUrl) return;
    const event: KomojuEvent = { id: komojuId(), type, resource: 'event', data, created_at: this.clock.now().toISOString(), reason };
    const body = Buffer.from(JSON.stringify(event));
    const headers = (secret: string): Record<string, string> => ({
      [KOMOJU_WEBHOOK_HEADERS.signature]: signWebhook(body, secret),
      [KOMOJU_WEBHOOK_HEADERS.event]: type,
      [KOMOJU_WEBHOOK_HEADERS.id]: komojuId(),
      'User-Agent': KOMOJU_WEBHOOK_USER_AGENT,
    });
    this.callbacks.send({ url: this.webhookUrl, body, headers: headers(this.webhookSecret), signWrong: () => headers(`${this.webhookSecret}-wrong`), group });
  }

  private stored(id: string): StoredSession {
    return this.account.stored(id);
  }

  private act(sessionId: string, change: (stored: StoredSession) => unknown): KomojuSession {
    const stored = this.stored(sessionId);
    change(stored);
    return structuredClone(stored.session);
  }
}

function komojuError(status: number, code: string, message: string, param: string | null): SimResponse {
  const body: KomojuErrorBody = { error: { message, code, param } };
  return { status, body };
}

function headerOf(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function formField(req: SimRequest, name: string): string | undefined {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
