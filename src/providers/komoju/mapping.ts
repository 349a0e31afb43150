import {
  currencyExponent,
  InvalidRequest,
  PaymentHold,
  ProviderStatusReport,
  ReportedAmount,
  SessionFailure,
  SessionStatus,
  UnifiedSessionRequest,
} from '@paymux/payments';
import {
  KOMOJU_CURRENCY_EXPONENTS,
  KOMOJU_DEFAULT_EXPIRES_IN_SECONDS,
  KOMOJU_PAY_LATER_TYPES,
  KomojuCreateSessionBody,
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
 * NOT IN PUBLIC DOCS: the Session status list has no expiry value. Choice: a session answered with
 * `status: "pending"` and `expired: true` has expired.
 */
export function isExpiredPendingSession(session: Pick<KomojuSession, 'status' | 'expired'>): boolean {
  return session.status === 'pending' && session.expired === true;
}

/**
 * The status table: every KOMOJU state paymux acts on → the unified status (shared/providers/
 * komoju.md, Payments). Only `captured` is money received: an `authorized` konbini, bank_transfer
 * or pay_easy payment is reserved (the customer still pays at the store or bank, or it expires),
 * an `authorized` card payment a hold awaiting capture; both are `processing`. A failed attempt is
 * not final: the customer may retry on the page, so the session stays where it was until it
 * expires, and only a failed payment on an expired session fails it.
 */
export const KOMOJU_STATUS_TABLE = {
  'session pending': 'open',
  'session pending, expired': 'expired',
  'session cancelled': 'cancelled',
  'session completed (customer mode)': 'succeeded',
  'payment pending': 'processing',
  'payment authorized': 'processing',
  'payment captured': 'succeeded',
  // A refund does not undo the session: it was paid (refunds are paymux refunds of the session).
  'payment refunded': 'succeeded',
  'payment failed': 'open',
  'payment failed, session expired': 'failed',
  'payment expired': 'expired',
  'payment cancelled': 'cancelled',
} as const satisfies Record<string, SessionStatus>;

export type KomojuStatusKey = keyof typeof KOMOJU_STATUS_TABLE;

// ---- request → KOMOJU ----------------------------------------------------------------------

export function toKomojuCreateSessionBody(request: UnifiedSessionRequest): KomojuCreateSessionBody {
  const body: KomojuCreateSessionBody = {
    mode: request.mode,
    // KOMOJU lands the buyer on return_url after completing or aborting alike: the relay tells them apart.
    return_url: request.buyerReturnUrl,
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
    // Two-step capture (Session: Create, `payment_data.capture`): a card payment stops at `authorized`.
    if (request.captureMethod === 'manual') body.payment_data = { ...body.payment_data, capture: 'manual' };
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

const LAST_ATTEMPT_FAILED: SessionFailure = {
  code: 'payment_failed',
  message: 'The last payment attempt failed and the session can no longer be completed',
  source: 'komoju',
};

function report(
  providerSessionId: string,
  key: KomojuStatusKey,
  amount: ReportedAmount | null,
  providerCustomerId: string | null = null,
  payment: Partial<Pick<KomojuPayment, 'status' | 'payment_deadline' | 'payment_details' | 'created_at'>> | null = null,
): ProviderStatusReport {
  const status = KOMOJU_STATUS_TABLE[key];
  return {
    providerSessionId,
    status,
    providerStatus: key,
    failure: status === 'failed' ? LAST_ATTEMPT_FAILED : null,
    providerCustomerId,
    amount,
    payableUntil: reservationDeadline(payment),
    hold: cardHold(payment),
    capturedFromHold: payment?.status === 'captured' && !isPaidLater(payment),
  };
}

/**
 * NOT IN PUBLIC DOCS: how long KOMOJU keeps an uncaptured card authorization. Choice: 7 days from
 * the payment's creation (the common card-scheme hold), so operators are warned in time; one
 * constant, one edit when KOMOJU states it.
 */
export const KOMOJU_CARD_HOLD_SECONDS = 7 * 86_400;

/**
 * An `authorized` payment of a method that is not paid later at a store or bank is a card hold
 * awaiting the merchant's capture (Payments; "Common misreadings": an authorized konbini,
 * bank_transfer or pay_easy payment is a reservation the buyer has yet to pay, never a hold).
 */
export function cardHold(payment: Partial<Pick<KomojuPayment, 'status' | 'payment_details' | 'created_at'>> | null): PaymentHold | null {
  if (!payment || payment.status !== 'authorized' || isPaidLater(payment)) return null;
  const created = typeof payment.created_at === 'string' ? Date.parse(payment.created_at) : Number.NaN;
  if (Number.isNaN(created)) return null;
  return { captureBefore: new Date(created + KOMOJU_CARD_HOLD_SECONDS * 1000) };
}

/** konbini, bank_transfer, pay_easy: paid by the buyer at a store or bank, never held for capture. */
function isPaidLater(payment: Partial<Pick<KomojuPayment, 'payment_details'>>): boolean {
  const type = (payment.payment_details as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' && KOMOJU_PAY_LATER_TYPES.includes(type);
}

/** A Payment object (capture answer) as a report about its session. */
export function paymentToReport(payment: KomojuPayment): ProviderStatusReport {
  return report(payment.session ?? '', paymentStatusKey(payment.status, false), fromKomojuAmount(payment.amount, payment.currency), null, payment);
}

/**
 * A konbini / bank_transfer / pay_easy payment in `authorized` is reserved until its
 * `payment_deadline` (Payments): the buyer may still pay at the store or bank until then.
 */
export function reservationDeadline(payment: Partial<Pick<KomojuPayment, 'status' | 'payment_deadline' | 'payment_details'>> | null): Date | null {
  if (!payment || payment.status !== 'authorized' || typeof payment.payment_deadline !== 'string') return null;
  const type = (payment.payment_details as { type?: unknown } | null | undefined)?.type;
  if (typeof type !== 'string' || !KOMOJU_PAY_LATER_TYPES.includes(type)) return null;
  const deadline = new Date(payment.payment_deadline);
  return Number.isNaN(deadline.getTime()) ? null : deadline;
}

/**
 * KOMOJU's lowest denomination → paymux minor units, exactly; a value that cannot be converted
 * exactly (or a currency paymux does not know) is reported as it reads, so the comparison fails.
 */
export function fromKomojuAmount(amount: number | null | undefined, currency: string | null | undefined): ReportedAmount | null {
  if (typeof amount !== 'number' || typeof currency !== 'string' || currency === '') return null;
  const code = currency.toUpperCase();
  const komojuExponent = KOMOJU_CURRENCY_EXPONENTS[code];
  let isoExponent: number | undefined;
  try {
    isoExponent = currencyExponent(code);
  } catch {
    isoExponent = undefined;
  }
  if (komojuExponent === undefined || isoExponent === undefined || komojuExponent === isoExponent) return { amount, currency: code };
  const shift = isoExponent - komojuExponent;
  if (shift > 0) return { amount: amount * 10 ** shift, currency: code };
  const divisor = 10 ** -shift;
  return amount % divisor === 0 ? { amount: amount / divisor, currency: code } : { amount, currency: code };
}

export function paymentStatusKey(status: KomojuPaymentStatus, sessionExpired: boolean): KomojuStatusKey {
  if (status === 'failed' && sessionExpired) return 'payment failed, session expired';
  return `payment ${status}`;
}

/** A Session object (show / cancel): its `status`, its `expired` flag and its payment. */
export function sessionToReport(session: KomojuSession): ProviderStatusReport {
  const customerId = session.mode === 'payment' ? null : (session.customer_id ?? null);
  const amount = session.payment ? fromKomojuAmount(session.payment.amount, session.payment.currency) : fromKomojuAmount(session.amount, session.currency);
  if (session.status === 'cancelled') return report(session.id, 'session cancelled', amount);
  const expired = isExpiredPendingSession(session);
  if (session.payment && session.mode !== 'customer') {
    return report(session.id, paymentStatusKey(session.payment.status, expired || session.status === 'completed'), amount, customerId, session.payment);
  }
  if (session.status === 'completed') return report(session.id, 'session completed (customer mode)', amount, customerId);
  return report(session.id, expired ? 'session pending, expired' : 'session pending', amount);
}

export interface MappedEvent {
  providerSessionId: string | null;
  paymuxSessionId: string | null;
  /** `customer.*`: the customer's id, matched against the `customer_id` a session was created with. */
  providerCustomerId: string | null;
  report: ProviderStatusReport | null;
  /** The event is a hint only: the session's status is read with `GET /sessions/{id}`. */
  confirmWithProvider: boolean;
}

/**
 * A webhook's `data` → what it says about which session. `payment.*` data is the Payment, which
 * names its `session`. `customer.*` data is the Customer, which names none (NOT IN PUBLIC DOCS:
 * its exact fields): it is matched by `data.id` and confirmed with `GET /sessions/{id}`.
 * A webhook cannot tell whether the session has expired, so a failed attempt leaves it as it is.
 */
export function eventToReport(eventType: string, data: unknown): MappedEvent {
  const kind = EVENT_KINDS[eventType] ?? 'ignored';
  const resource = (data ?? {}) as Partial<Omit<KomojuPayment, 'resource'>> & { id?: unknown };
  const none: MappedEvent = { providerSessionId: null, paymuxSessionId: null, providerCustomerId: null, report: null, confirmWithProvider: false };
  if (kind === 'customer') {
    if (typeof resource.id !== 'string' || resource.id === '') return none;
    return { ...none, providerCustomerId: resource.id, confirmWithProvider: true };
  }
  const providerSessionId = typeof resource.session === 'string' ? resource.session : null;
  const paymuxSessionId = typeof resource.metadata?.[PAYMUX_SESSION_METADATA_KEY] === 'string' ? resource.metadata[PAYMUX_SESSION_METADATA_KEY] : null;
  const found = { ...none, providerSessionId, paymuxSessionId };
  if (kind === 'ignored' || (!providerSessionId && !paymuxSessionId)) return found;
  const status = resource.status as KomojuPaymentStatus | undefined;
  if (!status || !(`payment ${status}` in KOMOJU_STATUS_TABLE)) return found;
  const customerId = typeof resource.customer === 'string' ? resource.customer : null;
  const amount = fromKomojuAmount(resource.amount, resource.currency);
  return { ...found, report: report(providerSessionId ?? '', paymentStatusKey(status, false), amount, customerId, resource) };
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
