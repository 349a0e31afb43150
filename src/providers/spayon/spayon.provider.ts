import {
  callProvider,
  Clock,
  headerValue,
  InvalidRequest,
  ownCode,
  ParsedWebhook,
  PaymentProvider,
  ProviderCapabilities,
  ProviderError,
  ProviderFailure,
  ProviderSessionCreated,
  ProviderSessionRef,
  ProviderStatusReport,
  systemClock,
  UnifiedSessionRequest,
  WebhookHeaders,
  WebhookSignatureError,
} from '@paymux/payments';
import {
  SPAYON_CURRENCIES,
  SPAYON_LANGUAGES,
  SPAYON_PAYMENT_METHODS,
  SPAYON_SESSION_TTL_SECONDS,
  SPAYON_SIGNATURE_HEADER,
  SpayonApiError,
  SpayonClient,
  SpayonDeclineReason,
  SpayonNetworkError,
  SpayonTimeoutError,
  verifyCallbackSignature,
} from '@paymux/spayon';
import { isSpayonStatus, SPAYON, toSpayonCreateBody, toStatusReport } from './mapping';

export interface SpayonPaymentProviderOptions {
  client: SpayonClient;
  callbackSecret: string;
  /** Production rules: `https` for every URL Spayon is given. */
  production: boolean;
  clock?: Clock;
}

/** Spayon behind the facade contract (shared/providers/spayon.md, "What paymux does with it"). */
export class SpayonPaymentProvider implements PaymentProvider {
  readonly name = SPAYON;
  readonly capabilities: ProviderCapabilities = {
    currencies: SPAYON_CURRENCIES,
    locales: SPAYON_LANGUAGES,
    paymentMethods: SPAYON_PAYMENT_METHODS,
    modes: ['payment'],
    // Sessions live exactly 15 minutes; Spayon takes no expiry parameter.
    expiry: { minSeconds: SPAYON_SESSION_TTL_SECONDS, maxSeconds: SPAYON_SESSION_TTL_SECONDS, defaultSeconds: SPAYON_SESSION_TTL_SECONDS },
    // No cancel call: paymux cancels locally and still accepts a later `paid`.
    cancel: false,
    // Spayon documents no refund call (providers/spayon.md): refunds are refused with a 400 naming it.
    refunds: false,
  };
  private readonly clock: Clock;

  constructor(private readonly options: SpayonPaymentProviderOptions) {
    this.clock = options.clock ?? systemClock;
  }

  validateRequest(request: UnifiedSessionRequest): void {
    if (request.expiresInSeconds !== SPAYON_SESSION_TTL_SECONDS) {
      throw new InvalidRequest('expires_in_seconds', `expires_in_seconds must be ${SPAYON_SESSION_TTL_SECONDS} for provider spayon`);
    }
    if (this.options.production) {
      requireHttps('return_url', request.returnUrl);
      if (request.cancelUrl !== null) requireHttps('cancel_url', request.cancelUrl);
      requireHttps('webhook_url', request.webhookUrl);
    }
    toSpayonCreateBody(request);
  }

  async createSession(request: UnifiedSessionRequest): Promise<ProviderSessionCreated> {
    this.validateRequest(request);
    const body = toSpayonCreateBody(request);
    const createdAt = this.clock.now().getTime();
    // Not retried on timeout or network failure: the session may exist at Spayon already.
    const answer = await this.call(() => this.options.client.createSession(body));
    return {
      providerSessionId: answer.session_id,
      redirectUrl: answer.session_url,
      expiresAt: new Date(createdAt + SPAYON_SESSION_TTL_SECONDS * 1000),
    };
  }

  async fetchStatus(session: ProviderSessionRef): Promise<ProviderStatusReport> {
    const answer = await this.call(() => this.options.client.getSession(session.providerSessionId));
    if (!isSpayonStatus(answer.status)) {
      throw new ProviderError(SPAYON, 'unknown_status', `Spayon answered an unknown status '${String(answer.status).slice(0, 40)}'`);
    }
    return toStatusReport(answer);
  }

  /** Verifies `X-Signature` over the raw bytes before reading anything from them. */
  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): ParsedWebhook {
    const signature = signatureHeader(headers);
    if (!signature) throw new WebhookSignatureError('Missing X-Signature header');
    if (!verifyCallbackSignature(rawBody, signature, this.options.callbackSecret)) throw new WebhookSignatureError();

    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new InvalidRequest(undefined, 'Spayon callback body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequest(undefined, 'Spayon callback body is not a JSON object');
    const fields = body as Record<string, unknown>;
    if (typeof fields.sessionId !== 'string' || fields.sessionId === '') throw new InvalidRequest('sessionId', 'Spayon callback has no sessionId');
    if (typeof fields.status !== 'string' || fields.status === '') throw new InvalidRequest('status', 'Spayon callback has no status');

    const sessionId = fields.sessionId;
    const status = fields.status;
    let report: ProviderStatusReport | null = null;
    // A signed status we do not know changes nothing; it is still recorded and acknowledged.
    if (isSpayonStatus(status)) {
      try {
        report = toStatusReport({ sessionId, status, declineReasons: readDeclineReasons(fields.declineReasons), price: fields.price, currency: fields.currency });
      } catch (error) {
        if (error instanceof ProviderError) throw new InvalidRequest('price', error.message);
        throw error;
      }
    }
    return {
      // The docs advise idempotency on sessionId + status: each pair is one real notification.
      dedupeKey: `${sessionId}:${status}`,
      eventType: status,
      providerSessionId: sessionId,
      paymuxSessionId: null,
      report,
    };
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return callProvider(SPAYON, 'Spayon', classifySpayonFailure, operation);
  }
}

/** The client's typed errors in the facade's shared terms; anything else is not Spayon's failure. */
export function classifySpayonFailure(error: unknown): ProviderFailure | null {
  if (error instanceof SpayonTimeoutError) return { kind: 'timeout', afterMs: error.timeoutMs };
  if (error instanceof SpayonNetworkError) return { kind: 'unreachable', reason: error.code };
  if (error instanceof SpayonApiError) {
    if (error.code === 'invalid_response') return { kind: 'invalid_response', message: error.message };
    return { kind: 'answered', httpStatus: error.status, code: ownCode(error.code), message: error.message };
  }
  return null;
}

function requireHttps(param: string, url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new InvalidRequest(param, `${param} must be a valid URL`);
  }
  if (protocol !== 'https:') throw new InvalidRequest(param, `${param} must use https in production for provider spayon`);
}

/** Keeps only well-formed entries: a malformed reason must not hide the status. */
function readDeclineReasons(value: unknown): SpayonDeclineReason[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object')
    .filter((entry) => typeof entry.responseCode === 'string' || typeof entry.responseCode === 'number')
    .map((entry) => ({
      transactionId: Number(entry.transactionId),
      responseCode: String(entry.responseCode),
      responseReasonEn: typeof entry.responseReasonEn === 'string' ? entry.responseReasonEn : '',
    }));
}

/** Node lower-cases header names, but a caller handing over its own map may not have. */
function signatureHeader(headers: WebhookHeaders): string | undefined {
  const direct = headerValue(headers, SPAYON_SIGNATURE_HEADER);
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((name) => name.toLowerCase() === SPAYON_SIGNATURE_HEADER);
  return key === undefined ? undefined : headerValue(headers, key);
}
