import type { KeyObject } from 'node:crypto';
import {
  callProvider,
  headerValue,
  InvalidRequest,
  isTerminal,
  ownCode,
  ParsedWebhook,
  PaymentProvider,
  ProviderCapabilities,
  ProviderError,
  ProviderFailure,
  ProviderRefundReport,
  ProviderRefundRequest,
  ProviderSessionCreated,
  ProviderSessionRef,
  ProviderStatusReport,
  SessionStatus,
  UnifiedSessionRequest,
  WebhookHeaders,
  WebhookSignatureError,
} from '@paymux/payments';
import { Logger } from '@nestjs/common';
import {
  HEADERS,
  loadPublicKey,
  NOTIFICATION_TYPES,
  pendingCustomerRedirect,
  Session,
  SmartGlocalApiError,
  SmartGlocalClient,
  SmartGlocalMalformedNotification,
  SmartGlocalSignatureError,
  SmartGlocalTimeoutError,
  verifyNotification,
  widgetBaseUrlFor,
} from '@paymux/smart-glocal';
import {
  CardInput,
  decidingPayment,
  notificationDedupeKey,
  paymuxSessionIdOf,
  PROVIDER_NAME,
  readCardInput,
  SMART_GLOCAL_CURRENCIES,
  SMART_GLOCAL_LOCALES,
  SMART_GLOCAL_METHODS_OFFERED,
  toAmountDetails,
  toCustomerReference,
  toSessionCreateRequest,
  toSessionInitPaymentRequest,
  toReportedAmount,
  toStatusReport,
} from './mapping';
import { toRefundReports, toSessionRefundRequest } from './refund-mapping';
import { PurchaseSummary, renderOutcomePage, renderPayPage, renderReturnPage, renderThreeDsRedirect, renderWaitingPage } from './pay-page';

export interface SmartGlocalProviderOptions {
  client: SmartGlocalClient;
  /** Smart Glocal's public key (PEM): notifications are verified with it. */
  smartGlocalPublicKeyPem: string;
  /** paymux's page for the hosted flow, e.g. `id => PUBLIC_URL + '/pay/' + id`. */
  payPageUrl: (paymuxSessionId: string) => string;
  /** Accept raw card data (server-to-server, PCI DSS scope). Off unless the operator turns it on. */
  allowCardData: boolean;
  /**
   * The account has automatic confirmation (switched on by Smart Glocal's manager): no
   * `ready_to_confirm` is awaited and paymux never calls `session/confirm`. Default false.
   */
  autoConfirmation?: boolean;
  /**
   * The account has delayed capture (switched on by Smart Glocal's manager): every payment is
   * held (`ready_to_capture`), so sessions may be created with `capture: "manual"`. Default false.
   */
  delayedCapture?: boolean;
  /** Where the widget is served; by default derived from the client's base URL. */
  widgetBaseUrl?: string;
  clock?: { now(): Date };
}

/**
 * paymux keeps the expiry itself: Smart Glocal takes no expiry in our material. The widget's
 * public token is short-lived, so the pay page mints a fresh one per view and any session length
 * works; the bounds keep sessions between 5 minutes and one day (1 hour by default).
 */
export const SMART_GLOCAL_EXPIRY = { minSeconds: 300, maxSeconds: 86_400, defaultSeconds: 3_600 } as const;

/**
 * Smart Glocal behind the facade (providers/smart-glocal.md). Hosted by default: the session is
 * created without card data and the buyer pays in Smart Glocal's widget on a page paymux serves.
 * With `providerOptions.card` (only when `allowCardData`) the payment is made server-to-server
 * with `session/init/payment`.
 */
export class SmartGlocalPaymentProvider implements PaymentProvider {
  readonly name = PROVIDER_NAME;
  readonly capabilities: ProviderCapabilities;

  private readonly logger = new Logger('smart_glocal');
  private readonly client: SmartGlocalClient;
  private readonly smartGlocalKey: KeyObject;
  private readonly payPageUrl: (paymuxSessionId: string) => string;
  private readonly allowCardData: boolean;
  private readonly autoConfirmation: boolean;
  private readonly widgetBaseUrl: string;
  private readonly clock: { now(): Date };

  constructor(options: SmartGlocalProviderOptions) {
    this.client = options.client;
    this.smartGlocalKey = loadPublicKey(options.smartGlocalPublicKeyPem, 'SMART_GLOCAL_PUBLIC_KEY');
    this.payPageUrl = options.payPageUrl;
    this.allowCardData = options.allowCardData;
    this.autoConfirmation = options.autoConfirmation ?? false;
    this.capabilities = {
      currencies: SMART_GLOCAL_CURRENCIES,
      locales: SMART_GLOCAL_LOCALES,
      paymentMethods: SMART_GLOCAL_METHODS_OFFERED,
      modes: ['payment'],
      expiry: SMART_GLOCAL_EXPIRY,
      cancel: true,
      refunds: true,
      // `session/capture` has no documented partial parameter: capture in full only.
      manualCapture: options.delayedCapture ? { partial: false } : null,
    };
    this.widgetBaseUrl = options.widgetBaseUrl ?? widgetBaseUrlFor(options.client.baseUrl);
    this.clock = options.clock ?? { now: () => new Date() };
  }

  validateRequest(request: UnifiedSessionRequest): void {
    if (request.mode !== 'payment') throw new InvalidRequest('mode', 'smart_glocal supports mode payment only');
    toAmountDetails(request);
    toCustomerReference(request);
    if (request.paymentMethods?.some((m) => !(SMART_GLOCAL_METHODS_OFFERED as readonly string[]).includes(m))) {
      throw new InvalidRequest('payment_methods', `payment_methods must be among ${SMART_GLOCAL_METHODS_OFFERED.join(', ')} for provider smart_glocal`);
    }
    if (request.locale !== null && !(SMART_GLOCAL_LOCALES as readonly string[]).includes(request.locale)) {
      throw new InvalidRequest('locale', `locale must be one of ${SMART_GLOCAL_LOCALES.join(', ')} for provider smart_glocal`);
    }
    this.cardOf(request);
  }

  async createSession(request: UnifiedSessionRequest): Promise<ProviderSessionCreated> {
    this.validateRequest(request);
    const card = this.cardOf(request);
    const expiresAt = new Date(this.clock.now().getTime() + request.expiresInSeconds * 1000);
    // paymux's session id is the idempotency key: one paymux session is one Smart Glocal session,
    // however often the call is retried, and keys of different merchants can never collide.
    const idempotencyKey = request.sessionId;
    if (!card) {
      const session = await this.call(() => this.client.createSession(toSessionCreateRequest(request, this.payPageUrl(request.sessionId)), { idempotencyKey }));
      return { providerSessionId: session.id, redirectUrl: this.payPageUrl(request.sessionId), expiresAt };
    }
    const session = await this.call(() => this.client.initPayment(toSessionInitPaymentRequest(request, card, this.payPageUrl(request.sessionId)), { idempotencyKey }), card);
    // The 3-D Secure step (action_required) may come before or after confirmation, so the buyer
    // goes to paymux's page, which shows whatever the payment waits for when the buyer arrives.
    return { providerSessionId: session.id, redirectUrl: this.payPageUrl(request.sessionId), expiresAt };
  }

  async fetchStatus(ref: ProviderSessionRef): Promise<ProviderStatusReport> {
    const session = await this.call(() => this.client.sessionStatus(ref.providerSessionId));
    const report = toStatusReport(session, { autoConfirmation: this.autoConfirmation });
    if (!report) throw new ProviderError(PROVIDER_NAME, 'unknown_status', unknownStatusMessage(session));
    return withHold(report, this.clock.now());
  }

  /**
   * Answers what Smart Glocal waits for: `session/confirm` (else the payment is cancelled after
   * 240 minutes) or `session/capture` in full. The session is read first, so this is safe to
   * repeat (a session that no longer waits for the call is done) and the amount is checked
   * before money is taken. `session/cancel` (it answers `ready_to_confirm` and `ready_to_capture`
   * alike) instead when the payment is for another amount or currency than the session, or when
   * paymux's session is already over (cancelled, expired, failed): no money is taken for it.
   */
  async runFollowUp(ref: ProviderSessionRef, followUp: string, sessionStatus: SessionStatus = 'processing'): Promise<void> {
    if (followUp !== 'confirm' && followUp !== 'capture') return;
    const session = await this.call(() => this.client.sessionStatus(ref.providerSessionId));
    if (session.next_action !== followUp) return;
    const stated = toReportedAmount(decidingPayment(session));
    const mismatch = stated !== null && ref.amount !== null && ref.currency !== null && (stated.amount !== ref.amount || stated.currency !== ref.currency.toUpperCase());
    const over = isTerminal(sessionStatus) && sessionStatus !== 'succeeded';
    // A manual-capture session's hold waits for the merchant's capture (capturePayment) or cancel.
    if (followUp === 'capture' && ref.captureMethod === 'manual' && !mismatch && !over) return;
    if (mismatch || over) {
      this.logger.warn({ providerSessionId: ref.providerSessionId, sessionId: ref.id, followUp, sessionStatus, amountMismatch: mismatch }, `Smart Glocal waits for ${followUp}: cancelled instead`);
      await this.call(() => this.client.cancelSession(ref.providerSessionId));
      return;
    }
    await this.call(() => (followUp === 'confirm' ? this.client.confirmSession(ref.providerSessionId) : this.client.captureSession(ref.providerSessionId)));
  }

  /**
   * Manual capture: `session/capture` in full (a partial capture's parameter is NOT IN PUBLIC
   * DOCS), for a session whose hold waits for it (`next_action: capture`). The answer shows the
   * payment in progress; `payment_finished` brings the result.
   */
  async capturePayment(ref: ProviderSessionRef, amount: number): Promise<ProviderStatusReport> {
    if (ref.amount !== null && amount !== ref.amount) {
      throw new InvalidRequest('amount', `provider ${PROVIDER_NAME} captures only the whole authorized amount (${ref.amount})`, 'partial_capture_unsupported');
    }
    const answered = await this.call(() => this.client.captureSession(ref.providerSessionId));
    const report = toStatusReport(answered, { autoConfirmation: this.autoConfirmation });
    if (!report) throw new ProviderError(PROVIDER_NAME, 'unknown_status', unknownStatusMessage(answered));
    return report;
  }

  async cancelSession(ref: ProviderSessionRef): Promise<void> {
    await this.call(() => this.client.cancelSession(ref.providerSessionId));
  }

  /**
   * `session/refund` with `amount_details` (always sent, so a partial refund is never taken for
   * a full one); paymux's refund id is the idempotency key. The answer lists the new refund
   * `in_progress`; `payment_refunded` says when it is done.
   */
  async refund(ref: ProviderSessionRef, request: ProviderRefundRequest): Promise<ProviderRefundReport[]> {
    const body = toSessionRefundRequest(ref.providerSessionId, request);
    const session = await this.call(() => this.client.refundSession(body, { idempotencyKey: request.refundId }));
    return toRefundReports(session);
  }

  async fetchRefunds(ref: ProviderSessionRef): Promise<ProviderRefundReport[]> {
    return toRefundReports(await this.call(() => this.client.sessionStatus(ref.providerSessionId)));
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): ParsedWebhook {
    let notification;
    try {
      notification = verifyNotification(rawBody, headerValue(headers, HEADERS.sign), this.smartGlocalKey);
    } catch (error) {
      if (error instanceof SmartGlocalSignatureError) throw new WebhookSignatureError(`Smart Glocal ${HEADERS.sign} does not verify`);
      if (error instanceof SmartGlocalMalformedNotification) throw new InvalidRequest(undefined, error.message, 'webhook_malformed');
      throw error;
    }
    const session = notification.session;
    const known = (Object.values(NOTIFICATION_TYPES) as string[]).includes(notification.type);
    const mapped = known ? toStatusReport(session, { autoConfirmation: this.autoConfirmation, notificationType: notification.type }) : null;
    const report = mapped ? withHold(mapped, this.clock.now()) : null;
    // Answer 200 to what paymux cannot read (an unknown type or status word) and change nothing:
    // a 4xx would only make Smart Glocal resend it for 30 minutes.
    if (!known) this.logger.warn({ type: notification.type, providerSessionId: session.id }, 'Smart Glocal notification of an unknown type ignored');
    else if (!report) this.logger.warn({ type: notification.type, providerSessionId: session.id, status: providerStatusOf(session) }, unknownStatusMessage(session));
    return {
      dedupeKey: notificationDedupeKey(notification.type, session),
      eventType: notification.type,
      providerSessionId: session.id,
      paymuxSessionId: paymuxSessionIdOf(session),
      report,
      refunds: known ? toRefundReports(session) : [],
    };
  }

  /**
   * The page at `payPageUrl(id)`, from the session as Smart Glocal shows it now: the widget (a
   * fresh public token) under what is being paid, while the session is `created`; the 3-D Secure
   * hand-off while a payment waits for the buyer (card data sent by paymux: in the widget the
   * widget runs it); a page that reloads itself while the payment is processed; the decline and
   * its reason when the payment failed; else back to the shop through `backUrl`.
   */
  async renderHostedPayPage(input: { providerSessionId: string; backUrl: string; purchase: PurchaseSummary; locale?: string | null }): Promise<string> {
    const locale = input.locale && (SMART_GLOCAL_LOCALES as readonly string[]).includes(input.locale) ? input.locale : 'en';
    const session = await this.call(() => this.client.sessionStatus(input.providerSessionId));
    if (session.status === 'created') {
      const publicToken = await this.call(() => this.client.getToken({ acquiring_widget: { session_id: input.providerSessionId, locale } }));
      return renderPayPage({ widgetBaseUrl: this.widgetBaseUrl, publicToken, backUrl: input.backUrl, purchase: input.purchase, locale });
    }
    const payment = decidingPayment(session);
    const redirect = payment ? pendingCustomerRedirect(payment) : null;
    if (redirect) return renderThreeDsRedirect(redirect);
    const report = toStatusReport(session, { autoConfirmation: this.autoConfirmation });
    const status = report?.status ?? null;
    if (status === null || status === 'open' || status === 'processing') return renderWaitingPage();
    if (status === 'failed') return renderOutcomePage({ outcome: 'declined', reason: report?.failure?.message ?? null, backUrl: input.backUrl, purchase: input.purchase });
    if (status === 'succeeded') return renderReturnPage(input.backUrl);
    return renderOutcomePage({ outcome: 'closed', backUrl: input.backUrl, purchase: input.purchase });
  }

  /** `providerOptions.card`, only when the operator accepted PCI DSS scope. */
  private cardOf(request: UnifiedSessionRequest): CardInput | null {
    const card = request.providerOptions?.card;
    if (card === undefined || card === null) return null;
    if (!this.allowCardData) {
      throw new InvalidRequest('payment_details', 'card data is not accepted for provider smart_glocal: use the hosted payment page');
    }
    return readCardInput(card);
  }

  /** Runs a client call, turning its failures into ProviderError (502) or a timeout (504). */
  private call<T>(run: () => Promise<T>, card?: CardInput): Promise<T> {
    return callProvider(PROVIDER_NAME, 'Smart Glocal', (error) => classifySmartGlocalFailure(error, card), run);
  }
}

/** The client's typed errors in the facade's shared terms; anything else is not Smart Glocal's failure. */
export function classifySmartGlocalFailure(error: unknown, card?: CardInput): ProviderFailure | null {
  if (error instanceof SmartGlocalTimeoutError) return { kind: 'timeout', afterMs: error.timeoutMs };
  if (!(error instanceof SmartGlocalApiError)) return null;
  const message = withoutCardData(`Smart Glocal ${error.method}: ${error.description}`, card);
  // No answer at all: the client's description is the transport's code.
  if (error.httpStatus === null) return { kind: 'unreachable', reason: error.description };
  if (error.code === 'invalid_response') return { kind: 'invalid_response', message };
  return { kind: 'answered', httpStatus: error.httpStatus, code: ownCode(error.code), message };
}

/**
 * A session waiting for `session/capture` holds the buyer's money (Payment flows, delayed
 * capture). Its deadline is NOT IN PUBLIC DOCS precisely: the page says 5 days, one version
 * 3 days 23 hours. Choice: the shorter, counted from when paymux first hears of the hold, so an
 * operator is warned before the earliest documented release.
 */
export const SMART_GLOCAL_HOLD_SECONDS = 3 * 86_400 + 23 * 3_600;

function withHold(report: ProviderStatusReport, now: Date): ProviderStatusReport {
  if (report.followUp !== 'capture' || report.status !== 'processing') return report;
  return { ...report, hold: { captureBefore: new Date(now.getTime() + SMART_GLOCAL_HOLD_SECONDS * 1000) } };
}

function providerStatusOf(session: Session): string {
  const payment = decidingPayment(session);
  return payment ? `${session.status}/${payment.status}` : session.status;
}

function unknownStatusMessage(session: Session): string {
  return `Smart Glocal session ${session.id} has a status paymux does not know (${providerStatusOf(session)}); left unchanged`;
}

/** Provider text is echoed to merchants: strip anything that looks like card data first. */
function withoutCardData(text: string, card?: CardInput): string {
  let clean = text.replace(/\d(?:[ -]?\d){11,18}/g, '[redacted]');
  if (card) {
    for (const secret of [card.number, card.security_code]) clean = clean.split(secret).join('[redacted]');
  }
  return clean;
}
