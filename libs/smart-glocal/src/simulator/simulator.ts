import { createHash, KeyObject, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallbackDispatcher, CallbackPolicy, DeliveryRecord, Faults, SimRequest, SimResponse, SimulatorHttp } from '@paymux/simulator-kit';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey, RsaKeyPairPem, verifyBody } from '../signature';
import { AcquiringPayment, API_PATH_PREFIX, BankCard, HEADERS, PaymentFailure, Refund, Session, SMART_GLOCAL_METHODS, SmartGlocalMethod } from '../types';
import { Account, AccountKnobs, DEFAULT_ACCOUNT, DEFAULT_NOTIFICATION_POLICY } from './account';
import { BuyerPages } from './buyer-pages';
import { TEST_CARDS } from './cards';
import type { Clock } from '@paymux/payments';
import { PaymentFlow, SessionRequest } from './payment-flow';
import { answered, apiError, cardOf, header, invalidCard, invalidSessionFields, isObject, ok, parseJsonObject, requestOf, snapshot } from './wire';

export { THREE_DS_PATH } from './payment-flow';

export interface SmartGlocalSimulatorOptions {
  /** Mount prefix when served inside another server (e.g. `/simulators/smart-glocal`); '' on its own port. */
  basePath?: string;
  /** The project id expected in `X-PARTNER-PROJECT`. */
  project: string;
  /** The partner's public key: every request's `X-PARTNER-SIGN` is checked with it. */
  merchantPublicKeyPem: string;
  /**
   * Where notifications go. The partner gives this address to the account manager
   * (providers/smart-glocal.md, "Webhooks"), so it is configuration: one URL, or a function
   * choosing one per session. None: no notifications are sent.
   */
  notificationUrl?: string | ((session: Session) => string | null);
  /** The simulator's own signing keys (Smart Glocal's side); generated at start when absent. */
  keyPair?: RsaKeyPairPem;
  callbackPolicy?: Partial<CallbackPolicy>;
  clock?: Clock;
  /** Lower-case codes accepted in `amount_details.currency`. */
  currencies?: readonly string[];
  /** Move payments on by themselves after they start (default true); false: only test helpers move them. */
  autoProcess?: boolean;
  /** Lifetime of widget public tokens (default 24 hours, as documented). */
  tokenTtlSeconds?: number;
  /** The account's automatic confirmation (set by the manager); default off. */
  autoConfirmation?: boolean;
  /** The account's delayed capture (hold, `ready_to_capture`); default off. */
  delayedCapture?: boolean;
}

/** What the simulator accepts; Smart Glocal's real list is per contract. */
export const SIMULATOR_CURRENCIES: readonly string[] = ['usd', 'eur', 'gbp', 'rub', 'amd', 'kzt', 'gel', 'aed', 'try', 'cny'];

/** How often deadlines (240-minute confirmation, 60-minute 3-D Secure) are checked between requests. */
const DEADLINE_CHECK_MS = 30_000;

interface StoredAnswer {
  bodyHash: string;
  answer: SimResponse;
}

/**
 * An HTTP stand-in for Smart Glocal's partner API (providers/smart-glocal.md): signed requests,
 * sessions from `created` to `accepted` / `cancelled` (through `error` when asked), the
 * documented webhooks with growing resend intervals, confirmation with its 240-minute deadline,
 * delayed capture, 3-D Secure, the payment widget and idempotency keys. Card data is read to
 * decide an outcome and to mask it, and then dropped.
 */
export class SmartGlocalSimulator {
  readonly http: SimulatorHttp;
  readonly dispatcher: CallbackDispatcher;
  /** How the simulated account is set up, and its test faults. */
  readonly account: Account;
  /** Smart Glocal's public key: the partner verifies notifications with it. */
  readonly publicKeyPem: string;
  /** Requests refused for a bad or missing project / signature. */
  rejectedRequests = 0;

  private readonly project: string;
  private readonly merchantKey: KeyObject;
  private notificationUrl: SmartGlocalSimulatorOptions['notificationUrl'];
  private readonly clock: Clock;
  private readonly currencies: ReadonlySet<string>;
  private readonly flow: PaymentFlow;
  private readonly pages: BuyerPages;
  private readonly idempotent = new Map<string, StoredAnswer>();
  private readonly cardsAtCreate = new Map<string, unknown>();
  /** The base URL requests came in on, for pages the test helpers link to. */
  private lastBaseUrl = '';
  private readonly deadlineTimer: NodeJS.Timeout;

  constructor(options: SmartGlocalSimulatorOptions) {
    this.http = new SimulatorHttp(options.basePath ?? '');
    this.project = options.project;
    this.merchantKey = loadPublicKey(options.merchantPublicKeyPem, 'merchant public key');
    const keyPair = options.keyPair ?? generateRsaKeyPair();
    this.publicKeyPem = keyPair.publicKeyPem;
    this.notificationUrl = options.notificationUrl;
    this.clock = options.clock ?? { now: () => new Date() };
    this.currencies = new Set(options.currencies ?? SIMULATOR_CURRENCIES);
    this.account = new Account({ ...DEFAULT_ACCOUNT, autoConfirmation: options.autoConfirmation ?? false, delayedCapture: options.delayedCapture ?? false });
    this.dispatcher = new CallbackDispatcher({ ...DEFAULT_NOTIFICATION_POLICY, ...options.callbackPolicy }, this.http.faults);
    const signingKey = loadPrivateKey(keyPair.privateKeyPem, 'simulator private key');
    this.flow = new PaymentFlow(this.clock, this.account, this.dispatcher, signingKey, () => this.notificationUrl, options.autoProcess ?? true);
    this.deadlineTimer = setInterval(() => this.flow.enforceDeadlines(), DEADLINE_CHECK_MS);
    this.deadlineTimer.unref();
    this.pages = new BuyerPages(this.flow, this.clock, (options.tokenTtlSeconds ?? 24 * 3600) * 1000);
    this.pages.register(this.http);
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
    clearInterval(this.deadlineTimer);
    this.flow.close();
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
    return this.flow.sessions.size;
  }

  /** A copy of a session as `session/status` would show it. */
  getSession(sessionId: string): Session {
    return snapshot(this.requireSession(sessionId));
  }

  /** What create / start sent for a session (the PaymentSession object shows none of it). */
  requestOf(sessionId: string): SessionRequest {
    this.requireSession(sessionId);
    return snapshot(this.flow.requests.get(sessionId)!);
  }

  /** Ends what waited past its deadline on the simulator's clock (also done on every request). */
  enforceDeadlines(): void {
    this.flow.enforceDeadlines();
  }

  /** Resolves once scheduled payment steps and notification deliveries have finished. */
  async idle(): Promise<void> {
    await this.flow.idle();
    await this.dispatcher.idle();
  }

  /**
   * Test shortcut: the buyer pays and the payment completes at once (as it stands after
   * confirmation), `payment_finished` with the session `accepted`.
   */
  pay(sessionId: string): Session {
    this.flow.finish(this.openPaymentFor(sessionId).id, { kind: 'succeed' });
    return this.getSession(sessionId);
  }

  /** Test shortcut: the payment is declined: payment `failed`, session `cancelled`. */
  fail(sessionId: string, failure: PaymentFailure = { code: 'card_declined', description: 'The card was declined by the issuer' }): Session {
    this.flow.finish(this.openPaymentFor(sessionId).id, { kind: 'fail', failure });
    return this.getSession(sessionId);
  }

  /** Test shortcut: the merchant's refund (full, or partial with `amount`) or a chargeback of the paid payment. */
  refund(sessionId: string, options: { amount?: number; chargeback?: boolean } = {}): Refund {
    const paid = this.requireSession(sessionId).acquiring_payments.find((p) => p.status === 'succeeded');
    if (!paid) throw new Error(`session ${sessionId} has no succeeded payment`);
    return this.flow.refund(paid.id, options);
  }

  /** The buyer starts a card payment on a `created` session, as the widget does (3-D Secure before confirmation). */
  startWidgetPayment(sessionId: string, cardNumber: string = TEST_CARDS.succeeds): AcquiringPayment {
    const session = this.requireSession(sessionId);
    const card: BankCard = { number: cardNumber, expiration_month: '12', expiration_year: '99', security_code: '000' };
    return snapshot(this.flow.startPayment(session, card, 'widget', this.lastBaseUrl));
  }

  /** Test helper (and what the 3-D Secure page does): the buyer passes or fails 3-D Secure. */
  complete3ds(paymentId: string, pass: boolean): Session {
    this.flow.complete3ds(paymentId, pass);
    return snapshot(this.flow.requirePayment(paymentId).session);
  }

  /** Sends a notification of any type for a session as it stands (e.g. a type paymux does not know). */
  sendNotification(sessionId: string, type: string): void {
    this.flow.notify(this.requireSession(sessionId), type);
  }

  /** Signs a notification body with the simulator's key, as Smart Glocal would (for tests). */
  signNotification(body: Buffer): string {
    return this.flow.sign(body);
  }

  // ---------------------------------------------------------------- routes

  private routes(): void {
    this.api(SMART_GLOCAL_METHODS.createSession, (body) => this.createSessionCall(body));
    this.api(SMART_GLOCAL_METHODS.token, (body) => this.tokenCall(body));
    this.api(SMART_GLOCAL_METHODS.initPayment, (body, req) => this.initPaymentCall(body, req.baseUrl));
    this.api(SMART_GLOCAL_METHODS.startPayment, (body, req) => this.startPaymentCall(body, req.baseUrl));
    this.api(SMART_GLOCAL_METHODS.sessionStatus, (body) => this.withSession(body, (session) => ok(session)));
    this.api(SMART_GLOCAL_METHODS.confirmSession, (body) => this.withSession(body, (session) => this.confirm(session)));
    this.api(SMART_GLOCAL_METHODS.captureSession, (body) => this.withSession(body, (session) => answered(session, this.flow.answer(session, 'capture'))));
    this.api(SMART_GLOCAL_METHODS.cancelSession, (body) => this.withSession(body, (session) => answered(session, this.flow.cancel(session))));

    this.http.route('POST', '/__account', (req) => {
      this.account.set((isObject(req.body) ? req.body : {}) as Partial<AccountKnobs>);
      return { status: 200, body: this.account.current };
    }, false);
  }

  /** A documented API method: project and signature checked on the raw bytes, idempotency honoured. */
  private api(method: SmartGlocalMethod, handler: (body: Record<string, unknown>, req: SimRequest) => SimResponse): void {
    this.http.route('POST', `${API_PATH_PREFIX}${method}`, (req) => {
      this.lastBaseUrl = req.baseUrl;
      this.flow.enforceDeadlines();
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
    const invalid = invalidSessionFields(body, false, this.currencies) ?? (body.payment_details === undefined ? null : invalidCard(body.payment_details, this.clock.now()));
    if (invalid) return invalid;
    const session = this.flow.newSession(requestOf(body));
    // Card data sent at create waits, in memory only, for session/start/payment.
    if (body.payment_details !== undefined) this.cardsAtCreate.set(session.id, body.payment_details);
    return ok(session);
  }

  private tokenCall(body: Record<string, unknown>): SimResponse {
    const widget = body.acquiring_widget;
    if (!isObject(widget) || typeof widget.session_id !== 'string') {
      return apiError(400, 'invalid_request', 'acquiring_widget.session_id is required');
    }
    const session = this.flow.sessions.get(widget.session_id);
    if (!session) return apiError(404, 'session_not_found', 'no such session');
    if (session.status !== 'created') return apiError(409, 'session_started', `the session is ${session.status}`);
    const token = `pt_${randomBytes(18).toString('base64url')}`;
    this.pages.issueToken(token, session.id);
    return { status: 200, body: { status: 'ok', public_token: token } };
  }

  private initPaymentCall(body: Record<string, unknown>, baseUrl: string): SimResponse {
    const invalid = invalidSessionFields(body, true, this.currencies) ?? invalidCard(body.payment_details, this.clock.now());
    if (invalid) return invalid;
    const session = this.flow.newSession(requestOf(body));
    this.flow.startPayment(session, cardOf(body.payment_details), 'api', baseUrl);
    return ok(session);
  }

  /** `session/start/payment`: any field of create, which may change ones sent before. */
  private startPaymentCall(body: Record<string, unknown>, baseUrl: string): SimResponse {
    if (typeof body.session_id !== 'string') return apiError(400, 'invalid_request', 'session_id is required');
    const session = this.flow.sessions.get(body.session_id);
    if (!session) return apiError(404, 'session_not_found', 'no such session');
    if (session.status !== 'created') return apiError(409, 'session_started', `the session is ${session.status}`);
    const invalid = invalidSessionFields(body, false, this.currencies);
    if (invalid) return invalid;
    const request = { ...this.flow.requests.get(session.id)!, ...requestOf(body) };
    if (!request.amount_details) return apiError(400, 'invalid_amount', 'amount_details is required');
    if (!request.customer) return apiError(400, 'invalid_customer', 'customer is required');
    const details = body.payment_details ?? this.cardsAtCreate.get(session.id);
    const invalidDetails = invalidCard(details, this.clock.now());
    if (invalidDetails) return invalidDetails;
    this.flow.requests.set(session.id, request);
    this.cardsAtCreate.delete(session.id);
    this.flow.startPayment(session, cardOf(details), 'api', baseUrl);
    return ok(session);
  }

  private confirm(session: Session): SimResponse {
    if (this.account.current.refuseConfirms > 0 && session.next_action === 'confirm') {
      this.account.set({ refuseConfirms: this.account.current.refuseConfirms - 1 });
      return apiError(500, 'internal_error', 'temporary failure, try again');
    }
    return answered(session, this.flow.answer(session, 'confirm'));
  }

  private withSession(body: Record<string, unknown>, then: (session: Session) => SimResponse): SimResponse {
    if (typeof body.session_id !== 'string') return apiError(400, 'invalid_request', 'session_id is required');
    const session = this.flow.sessions.get(body.session_id);
    return session ? then(session) : apiError(404, 'session_not_found', 'no such session');
  }

  // ---------------------------------------------------------------- helpers

  /** The session's payment still open, or a new one with the default test card. */
  private openPaymentFor(sessionId: string): AcquiringPayment {
    const session = this.requireSession(sessionId);
    const open = session.acquiring_payments.find((p) => p.status === 'in_progress' || p.status === 'pending');
    if (open) return open;
    if (session.status !== 'created') throw new Error(`session ${sessionId} is ${session.status}`);
    if (!this.flow.requests.get(sessionId)?.amount_details) throw new Error(`session ${sessionId} has no amount`);
    const card: BankCard = { number: TEST_CARDS.succeeds, expiration_month: '12', expiration_year: '99', security_code: '000' };
    // The shortcut decides the outcome itself: the payment is not moved on by the flow.
    return this.flow.startPayment(session, card, 'api', this.lastBaseUrl, { kind: 'succeed' }, false);
  }

  private requireSession(sessionId: string): Session {
    const session = this.flow.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    return session;
  }
}
