import {
  callProvider,
  Clock,
  headerValue,
  InvalidRequest,
  ownCode,
  ParsedWebhook,
  PaymentProvider,
  ProviderError,
  ProviderFailure,
  ProviderRefundReport,
  ProviderRefundRequest,
  ProviderSessionCreated,
  ProviderSessionRef,
  ProviderStatusReport,
  systemClock,
  UnifiedSessionRequest,
  WebhookHeaders,
  WebhookSignatureError,
} from '@paymux/payments';
import {
  KOMOJU_WEBHOOK_HEADERS,
  KomojuApiError,
  KomojuClient,
  KomojuConnectionError,
  KomojuPayment,
  KOMOJU_DEFAULT_EXPIRES_IN_SECONDS,
  KomojuTimeoutError,
  verifyWebhookSignature,
} from '@paymux/komoju';
import { KOMOJU_CAPABILITIES } from './capabilities';
import { eventToReport, paymentToReport, sessionToReport, toKomojuAmount, toKomojuCreateSessionBody, toKomojuCurrency } from './mapping';
import { toKomojuRefundBody, toRefundReports } from './refund-mapping';
import { validateKomojuRequest } from './validation';

export interface KomojuPaymentProviderOptions {
  client: KomojuClient;
  /** The webhook's secret token from the KOMOJU dashboard. */
  webhookSecret: string;
  clock?: Clock;
}

/** KOMOJU behind the facade contract: hosted sessions in three modes, cancel, signed webhooks. */
export class KomojuPaymentProvider implements PaymentProvider {
  readonly name = 'komoju';
  readonly capabilities = KOMOJU_CAPABILITIES;
  private readonly client: KomojuClient;
  private readonly webhookSecret: string;
  private readonly clock: Clock;

  constructor(options: KomojuPaymentProviderOptions) {
    this.client = options.client;
    this.webhookSecret = options.webhookSecret;
    this.clock = options.clock ?? systemClock;
  }

  validateRequest(request: UnifiedSessionRequest): void {
    validateKomojuRequest(request);
  }

  async createSession(request: UnifiedSessionRequest): Promise<ProviderSessionCreated> {
    validateKomojuRequest(request);
    const body = toKomojuCreateSessionBody(request);
    // The Session object states no expiry time (only `expired`): it is what we asked for, from now.
    const expiresAt = new Date(this.clock.now().getTime() + (body.expires_in_seconds ?? KOMOJU_DEFAULT_EXPIRES_IN_SECONDS) * 1000);
    const session = await this.call(() => this.client.createSession(body, { idempotencyKey: request.idempotencyKey }));
    return {
      providerSessionId: session.id,
      redirectUrl: session.session_url,
      expiresAt,
      // Customer-mode answers name the customer to be; its `customer.*` events name no session.
      providerCustomerId: request.mode === 'payment' ? null : (session.customer_id ?? null),
    };
  }

  async fetchStatus(ref: ProviderSessionRef): Promise<ProviderStatusReport> {
    const session = await this.call(() => this.client.getSession(ref.providerSessionId));
    return sessionToReport(session);
  }

  /**
   * A session still pending is cancelled (`POST /sessions/{id}/cancel`); a completed one is
   * refused there, so a payment it holds that can still be cancelled — a konbini reservation, a
   * card hold — is cancelled instead (`POST /payments/{id}/cancel`, Payments).
   */
  async cancelSession(ref: ProviderSessionRef): Promise<void> {
    const session = await this.call(() => this.client.getSession(ref.providerSessionId));
    const payment = session.payment;
    if (session.status === 'completed' && payment && (payment.status === 'pending' || payment.status === 'authorized')) {
      await this.call(() => this.client.cancelPayment(payment.id));
      return;
    }
    await this.call(() => this.client.cancelSession(ref.providerSessionId));
  }

  /**
   * `POST /payments/{id}/refund` on the session's payment (found with `GET /sessions/{id}`), with
   * paymux's refund id as the idempotency key: a retry of a refund whose answer was lost is
   * answered, not refunded twice.
   */
  async refund(ref: ProviderSessionRef, request: ProviderRefundRequest): Promise<ProviderRefundReport[]> {
    const body = toKomojuRefundBody(request);
    const paymentId = await this.paymentIdOf(ref, 'refund');
    const payment = await this.call(() => this.client.refundPayment(paymentId, body, { idempotencyKey: request.refundId }));
    return toRefundReports(payment);
  }

  async fetchRefunds(ref: ProviderSessionRef): Promise<ProviderRefundReport[]> {
    const session = await this.call(() => this.client.getSession(ref.providerSessionId));
    return toRefundReports(session.payment);
  }

  /** The session's payment, found with `GET /sessions/{id}` (paymux keeps no KOMOJU payment id). */
  private async paymentIdOf(ref: ProviderSessionRef, purpose: 'refund' | 'capture'): Promise<string> {
    const session = await this.call(() => this.client.getSession(ref.providerSessionId));
    if (!session.payment) throw new ProviderError(this.name, 'no_payment', `KOMOJU session ${ref.providerSessionId} holds no payment to ${purpose}`);
    return session.payment.id;
  }

  /** Manual capture (Payments: `POST /payments/{id}/capture`) of the session's authorized payment, in part with `amount`. */
  async capturePayment(ref: ProviderSessionRef, amount: number): Promise<ProviderStatusReport> {
    const paymentId = await this.paymentIdOf(ref, 'capture');
    const komojuAmount = toKomojuAmount(amount, toKomojuCurrency(ref.currency));
    return paymentToReport(await this.call(() => this.client.capturePayment(paymentId, komojuAmount)));
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): ParsedWebhook {
    if (!verifyWebhookSignature(rawBody, headerValue(headers, KOMOJU_WEBHOOK_HEADERS.signature), this.webhookSecret)) {
      throw new WebhookSignatureError();
    }
    const event = parseEnvelope(rawBody);
    const headerEvent = headerValue(headers, KOMOJU_WEBHOOK_HEADERS.event);
    if (headerEvent !== undefined && headerEvent !== event.type) {
      throw new InvalidRequest('body', `${KOMOJU_WEBHOOK_HEADERS.event} says ${headerEvent} but the body says ${event.type}`);
    }
    const mapped = eventToReport(event.type, event.data);
    return {
      // `X-Komoju-ID` names one delivery (a retry may carry a new one); the event is the body's `id`.
      dedupeKey: event.id,
      eventType: event.type,
      providerSessionId: mapped.providerSessionId,
      paymuxSessionId: mapped.paymuxSessionId,
      providerCustomerId: mapped.providerCustomerId,
      report: mapped.report,
      confirmWithProvider: mapped.confirmWithProvider,
      // `payment.*` data is the Payment, whose `refunds[]` shows every refund made so far.
      refunds: event.type.startsWith('payment.') ? toRefundReports(event.data as KomojuPayment) : [],
    };
  }

  /**
   * KOMOJU failures in the facade's terms, branching on `error.code` (Errors): 502 with KOMOJU's
   * code as it came; 504 when KOMOJU did not answer or answered `gateway_timeout` (not processed).
   */
  private call<T>(request: () => Promise<T>): Promise<T> {
    return callProvider(this.name, 'KOMOJU', classifyKomojuFailure, request);
  }
}

/** The client's typed errors in the facade's shared terms; anything else is not KOMOJU's failure. */
export function classifyKomojuFailure(error: unknown): ProviderFailure | null {
  if (error instanceof KomojuTimeoutError) return { kind: 'timeout', afterMs: error.timeoutMs };
  if (error instanceof KomojuConnectionError) return { kind: 'unreachable', reason: error.reason };
  if (!(error instanceof KomojuApiError)) return null;
  const answered = (message: string): ProviderFailure => ({ kind: 'answered', httpStatus: error.httpStatus, code: ownCode(error.code), message });
  const param = error.param ? ` (${error.param})` : '';
  switch (error.kind) {
    case 'authentication':
      return answered(`KOMOJU refused paymux's API key (HTTP ${error.httpStatus}): check KOMOJU_SECRET_KEY`);
    case 'not_processed':
      return { kind: 'not_processed', code: error.code, message: `KOMOJU timed out and did not process the request; it may be retried: ${error.message}` };
    case 'in_flight':
      return answered('KOMOJU is still processing the first request with this idempotency key; retry later');
    case 'invalid_request':
      return answered(`KOMOJU rejected the request${param}: ${error.message}`);
    default:
      return answered(`KOMOJU: ${error.message}`);
  }
}

function parseEnvelope(rawBody: Buffer): { id: string; type: string; data: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new InvalidRequest('body', 'KOMOJU webhook body is not JSON');
  }
  const event = parsed as Record<string, unknown> | null;
  if (!event || typeof event !== 'object' || typeof event.id !== 'string' || typeof event.type !== 'string') {
    throw new InvalidRequest('body', 'KOMOJU webhook body lacks id or type');
  }
  if (event.type !== 'ping' && (!event.data || typeof event.data !== 'object')) {
    throw new InvalidRequest('body', 'KOMOJU webhook body lacks data');
  }
  return { id: event.id, type: event.type, data: event.data };
}
