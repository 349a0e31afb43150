import {
  currencyExponent,
  InvalidRequest,
  ProviderStatusReport,
  SessionFailure,
  SessionStatus,
  UnifiedSessionRequest,
} from '@paymux/payments';
import {
  KOMOJU_CURRENCY_EXPONENTS,
  KOMOJU_DEFAULT_EXPIRES_IN_SECONDS,
  KomojuCreateSessionBody,
  KomojuCustomer,
  KomojuLineItem,
  KomojuPayment,
  KomojuPaymentStatus,
  KomojuSession,
} from '@paymux/komoju';

/**
 * Pure translations between paymux and KOMOJU (shared/providers/komoju.md, "What paymux does
 * with it"): the unified request → `POST /sessions` body, and KOMOJU's session, payment and
 * customer words → unified statuses.
 */

/** Metadata key carrying paymux's session id, so webhooks map back (KOMOJU keys ≤ 30 chars). */
export const PAYMUX_SESSION_METADATA_KEY = 'paymux_session_id';

/**
 * The status table: every KOMOJU state paymux acts on → the unified status. A failed attempt
 * leaves the session open (the customer may retry on the page) until the session is over.
 */
export const KOMOJU_STATUS_TABLE = {
  'session pending': 'open',
  'session pending, past expires_at': 'expired',
  'session cancelled': 'cancelled',
  'session completed (customer mode)': 'succeeded',
  'payment pending': 'processing',
  'payment authorized': 'succeeded',
  'payment captured': 'succeeded',
  // A refund does not undo the session: it was paid.
  'payment refunded': 'succeeded',
  'payment failed': 'open',
  'payment failed, session over': 'failed',
  'payment expired': 'expired',
  'payment cancelled': 'cancelled',
  'customer created/updated (customer modes)': 'succeeded',
} as const satisfies Record<string, SessionStatus>;

export type KomojuStatusKey = keyof typeof KOMOJU_STATUS_TABLE;

// ---- request → KOMOJU ----------------------------------------------------------------------

export function toKomojuCreateSessionBody(request: UnifiedSessionRequest): KomojuCreateSessionBody {
  const body: KomojuCreateSessionBody = {
    mode: request.mode,
    return_url: request.returnUrl,
    expires_in_seconds: request.expiresInSeconds ?? KOMOJU_DEFAULT_EXPIRES_IN_SECONDS,
    metadata: toKomojuMetadata(request),
  };
  if (request.mode !== 'customer') {
    const currency = toKomojuCurrency(request.currency);
    body.amount = toKomojuAmount(request.amount, currency);
    body.currency = currency;
    const lineItem = toKomojuLineItem(request, body.amount);
    if (lineItem) body.line_items = [lineItem];
    // INFERRED sub-field of payment_data: the merchant's order reference.
    if (request.orderId) body.payment_data = { external_order_num: request.orderId };
  }
  if (request.locale) body.default_locale = request.locale;
  if (request.paymentMethods && request.paymentMethods.length > 0) {
    body.payment_types = toKomojuPaymentTypes(request.paymentMethods, request.defaultPaymentMethod);
  }
  if (request.customer) {
    body.external_customer_id = request.customer.reference ?? request.customer.id;
    const komojuCustomerId = request.customer.providerCustomers.komoju;
    if (komojuCustomerId && request.mode !== 'payment') body.customer_id = komojuCustomerId;
    if (request.customer.email) body.email = request.customer.email;
  }
  return body;
}

export function toKomojuCurrency(currency: string | null): string {
  if (!currency) throw new InvalidRequest('currency', 'currency is required for KOMOJU payment sessions');
  return currency.toUpperCase();
}

/**
 * paymux minor units → KOMOJU's "lowest denomination". They are the same number whenever
 * KOMOJU's exponent equals ISO 4217's (every currency we offer); otherwise scale exactly or refuse.
 */
export function toKomojuAmount(amount: number | null, currency: string): number {
  if (amount === null || !Number.isSafeInteger(amount) || amount < 0) {
    throw new InvalidRequest('amount', 'amount must be a non-negative integer in minor units');
  }
  const komojuExponent = KOMOJU_CURRENCY_EXPONENTS[currency];
  if (komojuExponent === undefined) throw new InvalidRequest('currency', `KOMOJU does not take ${currency}`);
  const shift = komojuExponent - currencyExponent(currency);
  if (shift === 0) return amount;
  if (shift > 0) return amount * 10 ** shift;
  const divisor = 10 ** -shift;
  if (amount % divisor !== 0) throw new InvalidRequest('amount', `${amount} ${currency} cannot be expressed in KOMOJU's unit`);
  return amount / divisor;
}

export function toKomojuMetadata(request: UnifiedSessionRequest): Record<string, string> {
  return { ...request.metadata, [PAYMUX_SESSION_METADATA_KEY]: request.sessionId };
}

/** The product (or the custom description) as the one line item shown on the page. */
export function toKomojuLineItem(request: UnifiedSessionRequest, amount: number): KomojuLineItem | null {
  const description = request.product
    ? [request.product.name, request.product.description].filter(Boolean).join(': ')
    : request.description;
  if (!description) return null;
  return { description, amount, quantity: 1 };
}

/** KOMOJU has no "default method": the default is offered first. */
export function toKomojuPaymentTypes(methods: readonly string[], defaultMethod: string | null): string[] {
  if (!defaultMethod || !methods.includes(defaultMethod)) return [...methods];
  return [defaultMethod, ...methods.filter((method) => method !== defaultMethod)];
}

// ---- KOMOJU → unified status ----------------------------------------------------------------

function report(
  providerSessionId: string,
  key: KomojuStatusKey,
  providerCustomerId: string | null = null,
): ProviderStatusReport {
  const status = KOMOJU_STATUS_TABLE[key];
  return {
    providerSessionId,
    status,
    providerStatus: key,
    failure: status === 'failed' ? LAST_ATTEMPT_FAILED : null,
    providerCustomerId,
  };
}

const LAST_ATTEMPT_FAILED: SessionFailure = {
  code: 'payment_failed',
  message: 'The last payment attempt failed and the session can no longer be completed',
  source: 'komoju',
};

export function paymentStatusKey(status: KomojuPaymentStatus, sessionOver: boolean): KomojuStatusKey {
  if (status === 'failed' && sessionOver) return 'payment failed, session over';
  return `payment ${status}`;
}

/** A Session object (show / cancel) read at `now`. */
export function sessionToReport(session: KomojuSession, now: Date): ProviderStatusReport {
  const customerId = session.mode === 'payment' ? null : session.customer_id;
  if (session.status === 'cancelled') return report(session.id, 'session cancelled');
  if (session.status === 'completed') {
    if (session.mode === 'customer' || !session.payment) return report(session.id, 'session completed (customer mode)', customerId);
    return report(session.id, paymentStatusKey(session.payment.status, true), customerId);
  }
  const over = now.getTime() >= Date.parse(session.expires_at) || session.payment?.status === 'expired';
  if (session.payment) return report(session.id, paymentStatusKey(session.payment.status, over));
  return report(session.id, over ? 'session pending, past expires_at' : 'session pending');
}

/**
 * A webhook's `data` → a report for the session it names, or null when it changes no session.
 * A webhook cannot tell whether the session is over, so a failed attempt leaves it open; expiry
 * or a sync decides later.
 */
export function eventToReport(eventType: string, data: unknown): { providerSessionId: string | null; paymuxSessionId: string | null; report: ProviderStatusReport | null } {
  const kind = EVENT_KINDS[eventType] ?? 'ignored';
  const resource = (data ?? {}) as Partial<Omit<KomojuPayment, 'resource'> & Omit<KomojuCustomer, 'resource'>>;
  const providerSessionId = typeof resource.session === 'string' ? resource.session : null;
  const paymuxSessionId = typeof resource.metadata?.[PAYMUX_SESSION_METADATA_KEY] === 'string' ? resource.metadata[PAYMUX_SESSION_METADATA_KEY] : null;
  const none = { providerSessionId, paymuxSessionId, report: null };
  if (kind === 'ignored' || (!providerSessionId && !paymuxSessionId)) return none;
  const sessionRef = providerSessionId ?? '';
  if (kind === 'customer') {
    if (typeof resource.id !== 'string') return none;
    return { providerSessionId, paymuxSessionId, report: report(sessionRef, 'customer created/updated (customer modes)', resource.id) };
  }
  const status = resource.status as KomojuPaymentStatus | undefined;
  if (!status || !(`payment ${status}` in KOMOJU_STATUS_TABLE)) return none;
  const customerId = typeof resource.customer === 'string' ? resource.customer : null;
  return { providerSessionId, paymuxSessionId, report: report(sessionRef, paymentStatusKey(status, false), customerId) };
}

/** Which webhooks move a session. Refunds, deletions, subscriptions and settlements do not. */
export const EVENT_KINDS: Readonly<Record<string, 'payment' | 'customer' | 'ignored'>> = {
  ping: 'ignored',
  'payment.authorized': 'payment',
  'payment.captured': 'payment',
  'payment.updated': 'payment',
  'payment.expired': 'payment',
  'payment.cancelled': 'payment',
  'payment.failed': 'payment',
  'payment.refund.created': 'ignored',
  'payment.refunded': 'ignored',
  'customer.created': 'customer',
  'customer.updated': 'customer',
  'customer.deleted': 'ignored',
};
