import { createHash, KeyObject, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallbackDispatcher, CallbackPolicy, DeliveryRecord, Faults, redirect, SimRequest, SimResponse, SimulatorHttp } from '@paymux/simulator-kit';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey, RsaKeyPairPem, signBody, verifyBody } from '../signature';
import {
  AcquiringPayment,
  AmountDetails,
  API_PATH_PREFIX,
  BankCard,
  HEADERS,
  Notification,
  NOTIFICATION_TYPES,
  PaymentFailure,
  Session,
  SMART_GLOCAL_METHODS,
  SmartGlocalMethod,
  WIDGET,
} from '../types';
import { CardOutcome, cardOutcome, invalidCardField, maskCard, TEST_CARDS, THREE_DS_FAILED } from './cards';
import { resultPage, threeDsPage, WIDGET_PAY_PATH, widgetScript, widgetStylesheet } from './widget';

export interface SimulatorClock {
  now(): Date;
}

export interface SmartGlocalSimulatorOptions {
  /** Mount prefix when served inside another server (e.g. `/simulators/smart-glocal`); '' on its own port. */
  basePath?: string;
  /** The project id expected in `X-PARTNER-PROJECT`. */
  project: string;
  /** The partner's public key: every request's `X-PARTNER-SIGN` is checked with it. */
  merchantPublicKeyPem: string;
  /**
   * Where notifications go. Smart Glocal takes no notification URL per request in our material
   * (providers/smart-glocal.md), so like a dashboard setting it is configuration: one URL, or a
   * function choosing one per session. None: no notifications are sent.
   */
  notificationUrl?: string | ((session: Session) => string | null);
  /** The simulator's own signing keys (Smart Glocal's side); generated at start when absent. */
  keyPair?: RsaKeyPairPem;
  callbackPolicy?: Partial<CallbackPolicy>;
  clock?: SimulatorClock;
  /** Lower-case codes accepted in `amount_details.currency`. */
  currencies?: readonly string[];
  /**
   * Finish payments that need no buyer action right after answering (default true). With false
   * they stay `in_progress` until `pay` / `fail` is called.
   */
  autoProcess?: boolean;
  /** Lifetime of widget public tokens (default 15 minutes). */
  tokenTtlSeconds?: number;
}

/** What the simulator accepts; Smart Glocal's real list is per contract. */
export const SIMULATOR_CURRENCIES: readonly string[] = ['usd', 'eur', 'gbp', 'rub', 'amd', 'kzt', 'gel', 'aed', 'try', 'cny'];

/** INFERRED: the docs say only "answer 2xx quickly"; a few spaced retries is the common policy. */
export const DEFAULT_NOTIFICATION_POLICY: CallbackPolicy = { attempts: 5, intervalMs: 60_000, timeoutMs: 10_000 };

export const THREE_DS_PATH = '/3ds';
const RESULT_PATH = '/widget/done';
const MAX_REFERENCE_LENGTH = 255;

interface WidgetToken {
  sessionId: string;
  expiresAt: number;
}

interface StoredAnswer {
  bodyHash: string;
  answer: SimResponse;
}

/**
 * An HTTP stand-in for Smart Glocal's partner API (providers/smart-glocal.md): signed requests,
 * sessions with `acquiring_payments`, idempotency keys, the payment widget, a 3-D Secure page and
 * signed `payment_finished` notifications with retries. Card data is read to decide an outcome
 * and to mask it, and then dropped.
 */
export class SmartGlocalSimulator {
  readonly http: SimulatorHttp;
  readonly dispatcher: CallbackDispatcher;
  /** Smart Glocal's public key: the partner verifies notifications with it. */
  readonly publicKeyPem: string;
  /** Requests refused for a bad or missing project / signature. */
  rejectedRequests = 0;

  private readonly project: string;
  private readonly merchantKey: KeyObject;
  private readonly signingKey: KeyObject;
  private wrongKey: KeyObject | null = null;
  private notificationUrl: SmartGlocalSimulatorOptions['notificationUrl'];
  private readonly clock: SimulatorClock;
  private readonly currencies: ReadonlySet<string>;
  private readonly autoProcess: boolean;
  private readonly tokenTtlMs: number;

  private readonly sessions = new Map<string, Session>();
  private readonly paymentSessions = new Map<string, string>();
  /** Outcome decided from the card when the payment started; the card itself is not kept. */
  private readonly plannedOutcomes = new Map<string, CardOutcome>();
  private readonly tokens = new Map<string, WidgetToken>();
  private readonly idempotent = new Map<string, StoredAnswer>();
  private readonly processing = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: SmartGlocalSimulatorOptions) {
    this.http = new SimulatorHttp(options.basePath ?? '');
    this.project = options.project;
    this.merchantKey = loadPublicKey(options.merchantPublicKeyPem, 'merchant public key');
    const keyPair = options.keyPair ?? generateRsaKeyPair();
    this.signingKey = loadPrivateKey(keyPair.privateKeyPem, 'simulator private key');
    this.publicKeyPem = keyPair.publicKeyPem;
    this.notificationUrl = options.notificationUrl;
    this.clock = options.clock ?? { now: () => new Date() };
    this.currencies = new Set(options.currencies ?? SIMULATOR_CURRENCIES);
    this.autoProcess = options.autoProcess ?? true;
    this.tokenTtlMs = (options.tokenTtlSeconds ?? 900) * 1000;
    this.dispatcher = new CallbackDispatcher({ ...DEFAULT_NOTIFICATION_POLICY, ...options.callbackPolicy }, this.http.faults);
    this.routes();
  }

  get faults(): Faults {
    return this.http.faults;
  }

  get deliveries(): readonly DeliveryRecord[] {
    return this.dispatcher.deliveries;
  }

  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    return this.http.listen(port, host);
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.http.handle(req, res);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.dispatcher.close();
    await this.http.close();
  }

  setNotificationUrl(url: SmartGlocalSimulatorOptions['notificationUrl']): void {
    this.notificationUrl = url;
  }

  /** API calls received for one method (including ones answered by a fault knob). */
  requestCount(method: SmartGlocalMethod): number {
    const path = `${API_PATH_PREFIX}${method}`;
    return this.http.calls.filter((call) => call.path === path).length;
  }

  sessionCount(): number {
    return this.sessions.size;
  }

  /** A copy of a session as the API would show it. */
  getSession(sessionId: string): Session {
    return snapshot(this.requireSession(sessionId));
  }

  /** Resolves once scheduled payment processing and notification deliveries have finished. */
  async idle(): Promise<void> {
    while (this.processing.size > 0) await Promise.all([...this.processing]);
    await this.dispatcher.idle();
  }

  /** Test helper: the buyer pays (the session's open payment succeeds, or a new one is made). */
  pay(sessionId: string): Session {
    const payment = this.openPaymentFor(sessionId);
    this.finishPayment(payment.id, { kind: 'succeed' });
    return this.getSession(sessionId);
  }

  /** Test helper: the payment is declined. */
  fail(sessionId: string, failure: PaymentFailure = { code: 'card_declined', description: 'The card was declined by the issuer' }): Session {
    const payment = this.openPaymentFor(sessionId);
    this.finishPayment(payment.id, { kind: 'fail', failure });
    return this.getSession(sessionId);
  }

  /** Test helper (and what the 3-D Secure page does): the buyer passes or fails 3-D Secure. */
  complete3ds(paymentId: string, pass: boolean): Session {
    const { payment, session } = this.requirePayment(paymentId);
    if (payment.status !== 'in_progress' || !payment.customer_interaction) {
      throw new Error(`payment ${paymentId} is not waiting for 3-D Secure`);
    }
    this.finishPayment(paymentId, pass ? { kind: 'succeed' } : { kind: 'fail', failure: THREE_DS_FAILED });
    return snapshot(session);
  }

  /** Signs a notification body with the simulator's key, as Smart Glocal would (for tests). */
  signNotification(body: Buffer): string {
    return signBody(body, this.signingKey);
  }

  // ---------------------------------------------------------------- routes

  private routes(): void {
    this.api(SMART_GLOCAL_METHODS.createSession, (body) => this.createSessionCall(body));
    this.api(SMART_GLOCAL_METHODS.token, (body) => this.tokenCall(body));
    this.api(SMART_GLOCAL_METHODS.initPayment, (body, req) => this.initPaymentCall(body, req.baseUrl));
    this.api(SMART_GLOCAL_METHODS.startPayment, (body, req) => this.startPaymentCall(body, req.baseUrl));
    this.api(SMART_GLOCAL_METHODS.getSession, (body) => this.withSession(body, (session) => ok(session)));
    this.api(SMART_GLOCAL_METHODS.cancelSession, (body) => this.withSession(body, (session) => this.cancel(session)));

    this.http.route('GET', `/${WIDGET.script}`, () => ({
      status: 200,
      headers: { 'content-type': 'application/javascript; charset=utf-8', 'access-control-allow-origin': '*' },
      body: widgetScript(),
    }), false);
    this.http.route('GET', `/${WIDGET.stylesheet}`, () => ({
      status: 200,
      headers: { 'content-type': 'text/css; charset=utf-8', 'access-control-allow-origin': '*' },
      body: widgetStylesheet(),
    }), false);
    this.http.route('OPTIONS', WIDGET_PAY_PATH, () => ({ status: 204, headers: corsHeaders() }), false);
    this.http.route('POST', WIDGET_PAY_PATH, (req) => this.widgetPay(req), false);
    this.http.route('GET', `${THREE_DS_PATH}/:paymentId`, (_req, params) => this.threeDsPageFor(params.paymentId), false);
    this.http.route('POST', `${THREE_DS_PATH}/:paymentId`, (req, params) => this.threeDsSubmit(req, params.paymentId), false);
    this.http.route('GET', `${RESULT_PATH}/:sessionId`, (_req, params) => {
      const session = this.sessions.get(params.sessionId);
      return session ? resultPage(session.id, session.status) : notFoundPage();
    }, false);
  }

  /** A documented API method: project and signature checked on the raw bytes, idempotency honoured. */
  private api(method: SmartGlocalMethod, handler: (body: Record<string, unknown>, req: SimRequest) => SimResponse): void {
    this.http.route('POST', `${API_PATH_PREFIX}${method}`, (req) => {
      const project = header(req, HEADERS.project);
      if (!project || project !== this.project) {
        this.rejectedRequests++;
        return apiError(401, 'invalid_project', `${HEADERS.project} is missing or unknown`);
      }
      if (!verifyBody(req.rawBody, header(req, HEADERS.sign), this.merchantKey)) {
        this.rejectedRequests++;
        return apiError(401, 'invalid_signature', `${HEADERS.sign} does not verify over the request body`);
      }
      const body = parseJsonObject(req.rawBody);
      if (!body) return apiError(400, 'invalid_request', 'the body must be a JSON object');

      const key = header(req, HEADERS.idempotencyKey);
      const bodyHash = createHash('sha256').update(req.rawBody).digest('hex');
      const slot = key ? `${method}\u0000${key}` : null;
      if (slot) {
        const stored = this.idempotent.get(slot);
        if (stored) {
          return stored.bodyHash === bodyHash
            ? stored.answer
            : apiError(409, 'idempotency_key_reused', 'this idempotency key was used with a different request');
        }
      }
      const answer = handler(body, req);
      if (slot && answer.status < 500) this.idempotent.set(slot, { bodyHash, answer });
      return answer;
    });
  }

  private createSessionCall(body: Record<string, unknown>): SimResponse {
    const invalid = this.invalidSessionFields(body);
    if (invalid) return invalid;
    const session = this.newSession(body);
    return ok(session);
  }

  private tokenCall(body: Record<string, unknown>): SimResponse {
    const widget = body.acquiring_widget;
    if (!isObject(widget) || typeof widget.session_id !== 'string') {
      return apiError(400, 'invalid_request', 'acquiring_widget.session_id is required');
    }
    const session = this.sessions.get(widget.session_id);
    if (!session) return apiError(404, 'session_not_found', 'no such session');
    if (session.status !== 'in_progress') return apiError(409, 'session_finished', `the session is ${session.status}`);
    const token = `pt_${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, { sessionId: session.id, expiresAt: this.clock.now().getTime() + this.tokenTtlMs });
    return { status: 200, body: { status: 'ok', public_token: token } };
  }

  private initPaymentCall(body: Record<string, unknown>, baseUrl: string): SimResponse {
    const invalid = this.invalidSessionFields(body) ?? invalidCard(body.payment_details, this.clock.now());
    if (invalid) return invalid;
    const session = this.newSession(body);
    this.startCardPayment(session, cardOf(body.payment_details), baseUrl);
    return ok(session);
  }

  private startPaymentCall(body: Record<string, unknown>, baseUrl: string): SimResponse {
    if (typeof body.session_id !== 'string') return apiError(400, 'invalid_request', 'session_id is required');
    const session = this.sessions.get(body.session_id);
    if (!session) return apiError(404, 'session_not_found', 'no such session');
    const busy = this.refusePayment(session);
    if (busy) return busy;
    if (body.amount_details !== undefined) {
      const invalid = this.invalidAmount(body.amount_details);
      if (invalid) return invalid;
      const amount = body.amount_details as AmountDetails;
      if (session.amount_details && (amount.amount !== session.amount_details.amount || amount.currency !== session.amount_details.currency)) {
        return apiError(400, 'invalid_amount', 'amount_details differs from the session');
      }
      session.amount_details ??= amount;
    }
    if (!session.amount_details) return apiError(400, 'invalid_amount', 'amount_details is required');
    const invalid = invalidCard(body.payment_details, this.clock.now());
    if (invalid) return invalid;
    this.startCardPayment(session, cardOf(body.payment_details), baseUrl);
    return ok(session);
  }

  private withSession(body: Record<string, unknown>, then: (session: Session) => SimResponse): SimResponse {
    if (typeof body.session_id !== 'string') return apiError(400, 'invalid_request', 'session_id is required');
    const session = this.sessions.get(body.session_id);
    return session ? then(session) : apiError(404, 'session_not_found', 'no such session');
  }

  private cancel(session: Session): SimResponse {
    if (session.status !== 'in_progress') return apiError(409, 'session_finished', `the session is ${session.status}`);
    if (session.acquiring_payments.some((p) => p.status === 'in_progress')) {
      return apiError(409, 'payment_in_progress', 'a payment of this session is in progress');
    }
    session.status = 'cancelled';
    session.updated_at = this.nowIso();
    return ok(session);
  }

  private widgetPay(req: SimRequest): SimResponse {
    const body = parseJsonObject(req.rawBody);
    const answer = (status: number, payload: object): SimResponse => ({ status, headers: corsHeaders(), body: payload });
    if (!body || typeof body.public_token !== 'string') return answer(400, errorBody('invalid_request', 'public_token is required'));
    const token = this.tokens.get(body.public_token);
    if (!token || token.expiresAt <= this.clock.now().getTime()) return answer(401, errorBody('invalid_token', 'the public token is unknown or expired'));
    const session = this.requireSession(token.sessionId);
    const refused = this.refusePayment(session);
    if (refused) return { ...refused, headers: corsHeaders() };
    if (!session.amount_details) return answer(400, errorBody('invalid_amount', 'the session has no amount'));
    const field = invalidCardField(body.card, this.clock.now());
    if (field) return answer(400, errorBody('invalid_card', `${field.replace('payment_details.card.bank_card', 'card')} is invalid`));
    const payment = this.startCardPayment(session, body.card as BankCard, req.baseUrl);
    const redirectUrl = payment.customer_interaction?.redirect.url ?? this.returnUrlOf(session, payment, req.baseUrl);
    return answer(200, { status: 'ok', session_id: session.id, payment_id: payment.id, redirect_url: redirectUrl });
  }

  private threeDsPageFor(paymentId: string): SimResponse {
    const found = this.findPayment(paymentId);
    if (!found) return notFoundPage();
    const { payment, session } = found;
    if (payment.status !== 'in_progress' || !payment.customer_interaction) return resultPage(session.id, payment.status);
    return threeDsPage(payment.id, `${payment.amount_details.amount} ${payment.amount_details.currency.toUpperCase()} (minor units)`);
  }

  private threeDsSubmit(req: SimRequest, paymentId: string): SimResponse {
    const found = this.findPayment(paymentId);
    if (!found) return notFoundPage();
    const { payment, session } = found;
    if (payment.status === 'in_progress' && payment.customer_interaction) {
      const result = isObject(req.body) ? req.body.result : undefined;
      this.complete3ds(paymentId, result === 'pass');
    }
    return redirect(this.returnUrlOf(session, payment, req.baseUrl));
  }

  // ---------------------------------------------------------------- behaviour

  private newSession(body: Record<string, unknown>): Session {
    const now = this.nowIso();
    const session: Session = {
      id: `ps_${randomBytes(8).toString('hex')}`,
      status: 'in_progress',
      created_at: now,
      updated_at: now,
      amount_details: body.amount_details as AmountDetails,
      customer: { reference: (body.customer as { reference: string }).reference },
      acquiring_payments: [],
    };
    if (isObject(body.payment_options)) session.payment_options = body.payment_options as Session['payment_options'];
    if (body.metadata !== undefined) session.metadata = body.metadata;
    this.sessions.set(session.id, session);
    return session;
  }

  private startCardPayment(session: Session, card: BankCard, baseUrl: string): AcquiringPayment {
    const outcome = cardOutcome(card);
    const payment: AcquiringPayment = {
      id: `pm_${randomBytes(8).toString('hex')}`,
      status: 'in_progress',
      created_at: this.nowIso(),
      customer: session.customer ?? { reference: 'unknown' },
      payment_details: maskCard(card),
      amount_details: session.amount_details!,
      ...(session.payment_options ? { payment_options: session.payment_options } : {}),
    };
    if (outcome.kind === '3ds') {
      payment.customer_interaction = { type: 'redirect', redirect: { url: `${baseUrl}${THREE_DS_PATH}/${payment.id}` } };
    }
    session.acquiring_payments.push(payment);
    session.updated_at = payment.created_at;
    this.paymentSessions.set(payment.id, session.id);
    this.plannedOutcomes.set(payment.id, outcome);
    if (outcome.kind !== '3ds' && this.autoProcess) this.schedule(() => this.finishPayment(payment.id, outcome));
    return payment;
  }

  /** Runs `work` after the current answer has gone out, tracked so `idle()` can wait for it. */
  private schedule(work: () => void): void {
    let timer: NodeJS.Timeout;
    const done = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.timers.delete(timer);
        try {
          work();
        } finally {
          resolve();
        }
      }, 0);
      this.timers.add(timer);
    });
    this.processing.add(done);
    void done.then(() => this.processing.delete(done));
  }

  private finishPayment(paymentId: string, outcome: CardOutcome): void {
    const { payment, session } = this.requirePayment(paymentId);
    if (payment.status !== 'in_progress') return;
    const now = this.nowIso();
    delete payment.customer_interaction;
    payment.finished_at = now;
    if (outcome.kind === 'fail') {
      payment.status = 'failed';
      payment.error = outcome.failure;
      session.status = 'failed';
    } else {
      payment.status = 'succeeded';
      session.status = 'succeeded';
    }
    session.updated_at = now;
    this.plannedOutcomes.delete(paymentId);
    this.notify(session);
  }

  private notify(session: Session): void {
    const url = typeof this.notificationUrl === 'function' ? this.notificationUrl(snapshot(session)) : this.notificationUrl;
    if (!url) return;
    const notification: Notification = { type: NOTIFICATION_TYPES.paymentFinished, session: snapshot(session) };
    const body = Buffer.from(JSON.stringify(notification), 'utf8');
    this.dispatcher.send({
      url,
      body,
      headers: { [HEADERS.sign]: signBody(body, this.signingKey) },
      signWrong: () => ({ [HEADERS.sign]: signBody(body, (this.wrongKey ??= loadPrivateKey(generateRsaKeyPair().privateKeyPem))) }),
      group: session.id,
    });
  }

  /** The session's payment still waiting, or a new one paid with the default test card. */
  private openPaymentFor(sessionId: string): AcquiringPayment {
    const session = this.requireSession(sessionId);
    if (session.status !== 'in_progress') throw new Error(`session ${sessionId} is ${session.status}`);
    const open = session.acquiring_payments.find((p) => p.status === 'in_progress');
    if (open) return open;
    if (!session.amount_details) throw new Error(`session ${sessionId} has no amount`);
    const card: BankCard = { number: TEST_CARDS.succeeds, expiration_month: '12', expiration_year: '99', security_code: '000' };
    const payment = this.startCardPayment(session, card, '');
    // The helper decides the outcome itself; drop what the card would have scheduled.
    this.plannedOutcomes.delete(payment.id);
    return payment;
  }

  private refusePayment(session: Session): SimResponse | null {
    if (session.status !== 'in_progress') return apiError(409, 'session_finished', `the session is ${session.status}`);
    if (session.acquiring_payments.some((p) => p.status === 'in_progress')) {
      return apiError(409, 'payment_in_progress', 'a payment of this session is in progress');
    }
    return null;
  }

  private invalidSessionFields(body: Record<string, unknown>): SimResponse | null {
    const amount = this.invalidAmount(body.amount_details);
    if (amount) return amount;
    const customer = body.customer;
    if (!isObject(customer) || typeof customer.reference !== 'string' || customer.reference.trim() === '' || customer.reference.length > MAX_REFERENCE_LENGTH) {
      return apiError(400, 'invalid_customer', 'customer.reference is required (1-255 characters)');
    }
    const options = body.payment_options;
    if (options !== undefined) {
      if (!isObject(options)) return apiError(400, 'invalid_request', 'payment_options must be an object');
      if (options.return_url !== undefined && !isHttpUrl(options.return_url)) {
        return apiError(400, 'invalid_return_url', 'payment_options.return_url must be an http(s) URL');
      }
    }
    return null;
  }

  private invalidAmount(value: unknown): SimResponse | null {
    if (!isObject(value)) return apiError(400, 'invalid_amount', 'amount_details is required');
    if (typeof value.amount !== 'number' || !Number.isSafeInteger(value.amount) || value.amount <= 0) {
      return apiError(400, 'invalid_amount', 'amount_details.amount must be a positive integer in minor units');
    }
    if (typeof value.currency !== 'string' || !/^[a-z]{3}$/.test(value.currency)) {
      return apiError(400, 'invalid_currency', 'amount_details.currency must be a lower-case ISO 4217 code');
    }
    if (!this.currencies.has(value.currency)) return apiError(400, 'unsupported_currency', `currency ${value.currency} is not supported`);
    return null;
  }

  private returnUrlOf(session: Session, payment: AcquiringPayment, baseUrl: string): string {
    return payment.payment_options?.return_url ?? session.payment_options?.return_url ?? `${baseUrl}${RESULT_PATH}/${session.id}`;
  }

  private requireSession(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    return session;
  }

  private findPayment(paymentId: string): { payment: AcquiringPayment; session: Session } | null {
    const sessionId = this.paymentSessions.get(paymentId);
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    const payment = session?.acquiring_payments.find((p) => p.id === paymentId);
    return session && payment ? { payment, session } : null;
  }

  private requirePayment(paymentId: string): { payment: AcquiringPayment; session: Session } {
    const found = this.findPayment(paymentId);
    if (!found) throw new Error(`no payment ${paymentId}`);
    return found;
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }
}

function ok(session: Session): SimResponse {
  return { status: 200, body: { status: 'ok', session: snapshot(session) } };
}

function errorBody(code: string, description: string) {
  return { status: 'error', error: { code, description } };
}

function apiError(status: number, code: string, description: string): SimResponse {
  return { status, body: errorBody(code, description) };
}

/** Names the bad card field, never its value. */
function invalidCard(details: unknown, now: Date): SimResponse | null {
  if (!isObject(details) || details.type !== 'card' || !isObject(details.card) || details.card.type !== 'bank_card') {
    return apiError(400, 'invalid_payment_details', 'payment_details must be a bank card');
  }
  const field = invalidCardField(details.card.bank_card, now);
  return field ? apiError(400, 'invalid_card', `${field} is invalid`) : null;
}

function cardOf(details: unknown): BankCard {
  return ((details as Record<string, Record<string, unknown>>).card.bank_card) as BankCard;
}

function snapshot<T>(value: T): T {
  return structuredClone(value);
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonObject(raw: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function corsHeaders(): Record<string, string> {
  return { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-allow-headers': 'content-type' };
}

function notFoundPage(): SimResponse {
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
}
