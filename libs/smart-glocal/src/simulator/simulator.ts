import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallbackDispatcher, CallbackPolicy, DeliveryRecord, Faults, SimulatorHttp } from '@paymux/simulator-kit';
import { generateRsaKeyPair, loadPrivateKey, loadPublicKey, RsaKeyPairPem } from '../signature';
import { AcquiringPayment, API_PATH_PREFIX, BankCard, PaymentFailure, Refund, Session, SmartGlocalMethod } from '../types';
import { Account, DEFAULT_ACCOUNT, DEFAULT_NOTIFICATION_POLICY } from './account';
import { BuyerPages } from './buyer-pages';
import { TEST_CARDS } from './cards';
import type { Clock } from '@paymux/payments';
import { PaymentFlow, SessionRequest } from './payment-flow';
import { PartnerApi } from './partner-api';
import { RefundCall } from './refund-call';
import { snapshot } from './wire';

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
  /** `session/refund` and its test knobs (`refunds.set({...})` or `POST <base>/__refunds`). */
  readonly refunds: RefundCall;
  /** Requests refused for a bad or missing project / signature. */
  rejectedRequests = 0;

  private readonly project: string;
  private readonly merchantKey: KeyObject;
  private notificationUrl: SmartGlocalSimulatorOptions['notificationUrl'];
  private readonly clock: Clock;
  private readonly currencies: ReadonlySet<string>;
  private readonly flow: PaymentFlow;
  private readonly pages: BuyerPages;
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
    this.refunds = new RefundCall(this.flow);
    new PartnerApi({
      refunds: this.refunds,
      http: this.http,
      flow: this.flow,
      account: this.account,
      pages: this.pages,
      clock: this.clock,
      project: this.project,
      merchantKey: this.merchantKey,
      currencies: this.currencies,
      onRequest: (baseUrl) => (this.lastBaseUrl = baseUrl),
      onRejected: () => this.rejectedRequests++,
    }).mount();
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
