import {
  headerValue,
  InvalidRequest,
  ParsedWebhook,
  PaymentProvider,
  ProviderError,
  ProviderSessionCreated,
  ProviderSessionRef,
  ProviderStatusReport,
  UnifiedSessionRequest,
  WebhookHeaders,
  WebhookSignatureError,
} from '@paymux/payments';
import {
  KOMOJU_WEBHOOK_HEADERS,
  KomojuApiError,
  KomojuClient,
  KomojuClock,
  KomojuSession,
  KomojuTimeoutError,
  SYSTEM_CLOCK,
  verifyWebhookSignature,
} from '@paymux/komoju';
import { KOMOJU_CAPABILITIES } from './capabilities';
import { eventToReport, sessionToReport, toKomojuCreateSessionBody } from './mapping';
import { validateKomojuRequest } from './validation';

export interface KomojuPaymentProviderOptions {
  client: KomojuClient;
  /** The webhook's secret token from the KOMOJU dashboard. */
  webhookSecret: string;
  clock?: KomojuClock;
}

/** KOMOJU behind the facade contract: hosted sessions in three modes, cancel, signed webhooks. */
export class KomojuPaymentProvider implements PaymentProvider {
  readonly name = 'komoju';
  readonly capabilities = KOMOJU_CAPABILITIES;
  private readonly client: KomojuClient;
  private readonly webhookSecret: string;
  private readonly clock: KomojuClock;

  constructor(options: KomojuPaymentProviderOptions) {
    this.client = options.client;
    this.webhookSecret = options.webhookSecret;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  validateRequest(request: UnifiedSessionRequest): void {
    validateKomojuRequest(request);
  }

  async createSession(request: UnifiedSessionRequest): Promise<ProviderSessionCreated> {
    validateKomojuRequest(request);
    const body = toKomojuCreateSessionBody(request);
    const session = await this.call(() => this.client.createSession(body, { idempotencyKey: request.idempotencyKey }));
    return { providerSessionId: session.id, redirectUrl: session.session_url, expiresAt: expiresAtOf(session, body.expires_in_seconds) };
  }

  async fetchStatus(ref: ProviderSessionRef): Promise<ProviderStatusReport> {
    const session = await this.call(() => this.client.getSession(ref.providerSessionId));
    return sessionToReport(session, this.clock.now());
  }

  async cancelSession(ref: ProviderSessionRef): Promise<void> {
    await this.call(() => this.client.cancelSession(ref.providerSessionId));
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
      dedupeKey: headerValue(headers, KOMOJU_WEBHOOK_HEADERS.id) ?? event.id,
      eventType: event.type,
      providerSessionId: mapped.providerSessionId,
      paymuxSessionId: mapped.paymuxSessionId,
      report: mapped.report,
    };
  }

  /** KOMOJU failures in the facade's terms: 502 with KOMOJU's code, 504 on timeout. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof KomojuTimeoutError) throw ProviderError.timeout(this.name, error.timeoutMs);
      if (error instanceof KomojuApiError) throw new ProviderError(this.name, error.code, `KOMOJU: ${error.message}`);
      if (error instanceof Error) throw new ProviderError(this.name, 'connection_failed', error.message);
      throw error;
    }
  }
}

function expiresAtOf(session: KomojuSession, expiresInSeconds: number | undefined): Date {
  const stated = Date.parse(session.expires_at);
  if (!Number.isNaN(stated)) return new Date(stated);
  return new Date(Date.parse(session.created_at) + (expiresInSeconds ?? 0) * 1000);
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
