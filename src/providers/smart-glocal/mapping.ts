import {
  InvalidRequest,
  isMinorAmount,
  ProviderStatusReport,
  SessionFailure,
  SessionStatus,
  UnifiedSessionRequest,
} from '@paymux/payments';
import {
  AcquiringPayment,
  AmountDetails,
  BankCard,
  CardPaymentDetails,
  pendingCustomerRedirect,
  Session,
  SessionCreateRequest,
  SessionInitPaymentRequest,
  SmartGlocalSessionStatus,
} from '@paymux/smart-glocal';

/**
 * Pure mappings between paymux's unified session and Smart Glocal's shapes
 * (providers/smart-glocal.md). No I/O here; the provider class does the calls.
 */

export const PROVIDER_NAME = 'smart_glocal';

/**
 * Currencies offered through Smart Glocal. Our material shows only `usd` (its examples), and
 * Smart Glocal's real list is per contract; these are the cross-border settlement currencies
 * (USD, EUR, GBP) and the markets paymux serves (RUB, AMD). All have exponent 2 and Smart Glocal
 * takes minor units, so amounts pass through unchanged. Extend here when the contract lists more.
 */
export const SMART_GLOCAL_CURRENCIES = ['USD', 'EUR', 'GBP', 'RUB', 'AMD'] as const;

/** The widget's languages seen in public integration code. */
export const SMART_GLOCAL_LOCALES = ['en', 'ru'] as const;

export const SMART_GLOCAL_METHODS_OFFERED = ['card'] as const;

/** Keys paymux puts in `metadata`, which Smart Glocal echoes in answers and notifications. */
export const METADATA_KEYS = { sessionId: 'paymux_session_id', orderId: 'paymux_order_id' } as const;

/** Pass-through card input: `providerOptions.card`, in Smart Glocal's own field names. */
export interface CardInput {
  number: string;
  expiration_month: string;
  expiration_year: string;
  security_code: string;
}

/** `customer.reference` is required by Smart Glocal: the customer's reference, else its paymux id. */
export function toCustomerReference(request: UnifiedSessionRequest): string {
  const customer = request.customer;
  if (!customer) {
    throw new InvalidRequest('customer', 'smart_glocal requires a customer: pass customer_id or customer');
  }
  return customer.reference ?? customer.id;
}

/** Minor units on both sides (ISO 4217 exponent), currency lower case. */
export function toAmountDetails(request: UnifiedSessionRequest): AmountDetails {
  if (request.amount === null || request.currency === null) {
    throw new InvalidRequest('amount', 'smart_glocal needs amount and currency');
  }
  if (!isMinorAmount(request.amount) || request.amount === 0) {
    throw new InvalidRequest('amount', 'amount must be a positive integer in minor units');
  }
  const currency = request.currency.toUpperCase();
  if (!(SMART_GLOCAL_CURRENCIES as readonly string[]).includes(currency)) {
    throw new InvalidRequest('currency', `currency must be one of ${SMART_GLOCAL_CURRENCIES.join(', ')} for provider smart_glocal`);
  }
  return { amount: request.amount, currency: currency.toLowerCase() };
}

export function toMetadata(request: UnifiedSessionRequest): Record<string, string> {
  const metadata: Record<string, string> = { [METADATA_KEYS.sessionId]: request.sessionId };
  if (request.orderId !== null) metadata[METADATA_KEYS.orderId] = request.orderId;
  return metadata;
}

/** The hosted flow: a session without card data; the buyer pays in the widget. */
export function toSessionCreateRequest(request: UnifiedSessionRequest): SessionCreateRequest {
  return {
    amount_details: toAmountDetails(request),
    customer: { reference: toCustomerReference(request) },
    payment_options: { return_url: request.returnUrl },
    metadata: toMetadata(request),
  };
}

/** Server-to-server: session and card payment in one call. */
export function toSessionInitPaymentRequest(request: UnifiedSessionRequest, card: CardInput): SessionInitPaymentRequest {
  return {
    payment_details: toCardPaymentDetails(card),
    ...toSessionCreateRequest(request),
  };
}

export function toCardPaymentDetails(card: CardInput): CardPaymentDetails {
  const bankCard: BankCard = {
    number: card.number,
    expiration_month: card.expiration_month,
    expiration_year: card.expiration_year,
    security_code: card.security_code,
  };
  return { type: 'card', card: { type: 'bank_card', bank_card: bankCard } };
}

/**
 * Reads `providerOptions.card`, normalising `"5"`/`5` months and four-digit years. Errors name
 * the field and never echo a value: card data must not reach logs or answers.
 */
export function readCardInput(value: unknown): CardInput {
  const fail = (field: string, rule: string): never => {
    throw new InvalidRequest('payment_details', `payment_details.card${field ? `.${field}` : ''} ${rule}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('', 'must be an object');
  const card = value as Record<string, unknown>;
  const text = (field: string): string => {
    const raw = card[field];
    if (typeof raw === 'string') return raw.replace(/[\s-]/g, '');
    if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
    return fail(field, 'is required');
  };
  const number = text('number');
  if (!/^\d{12,19}$/.test(number)) fail('number', 'must be 12 to 19 digits');
  const month = text('expiration_month').padStart(2, '0');
  if (!/^(0[1-9]|1[0-2])$/.test(month)) fail('expiration_month', 'must be 01 to 12');
  let year = text('expiration_year');
  if (/^\d{4}$/.test(year)) year = year.slice(2);
  if (!/^\d{2}$/.test(year)) fail('expiration_year', 'must be two or four digits');
  const securityCode = text('security_code');
  if (!/^\d{3,4}$/.test(securityCode)) fail('security_code', 'must be 3 or 4 digits');
  return { number, expiration_month: month, expiration_year: year, security_code: securityCode };
}

/** What a payment says, in the words of the status table. */
export type PaymentState = 'none' | 'in_progress' | 'awaiting_3ds' | 'succeeded' | 'failed';

/**
 * The one status table: Smart Glocal session status × the state of its deciding payment →
 * unified status. A succeeded payment always wins, so money taken is never hidden.
 *
 * | session \ payment | none      | in_progress | awaiting_3ds | succeeded | failed    |
 * |-------------------|-----------|-------------|--------------|-----------|-----------|
 * | in_progress       | open      | processing  | processing   | succeeded | failed    |
 * | succeeded         | succeeded | succeeded   | succeeded    | succeeded | succeeded |
 * | failed            | failed    | failed      | failed       | succeeded | failed    |
 * | cancelled         | cancelled | cancelled   | cancelled    | succeeded | cancelled |
 */
export const STATUS_TABLE: Readonly<Record<SmartGlocalSessionStatus, Readonly<Record<PaymentState, SessionStatus>>>> = {
  in_progress: { none: 'open', in_progress: 'processing', awaiting_3ds: 'processing', succeeded: 'succeeded', failed: 'failed' },
  succeeded: { none: 'succeeded', in_progress: 'succeeded', awaiting_3ds: 'succeeded', succeeded: 'succeeded', failed: 'succeeded' },
  failed: { none: 'failed', in_progress: 'failed', awaiting_3ds: 'failed', succeeded: 'succeeded', failed: 'failed' },
  cancelled: { none: 'cancelled', in_progress: 'cancelled', awaiting_3ds: 'cancelled', succeeded: 'succeeded', failed: 'cancelled' },
};

/** The payment that decides the session: a succeeded one if any, else the newest. */
export function decidingPayment(session: Session): AcquiringPayment | null {
  const payments = session.acquiring_payments ?? [];
  return payments.find((p) => p.status === 'succeeded') ?? payments[payments.length - 1] ?? null;
}

export function paymentState(payment: AcquiringPayment | null): PaymentState | null {
  if (!payment) return 'none';
  if (payment.status === 'in_progress') return pendingCustomerRedirect(payment) ? 'awaiting_3ds' : 'in_progress';
  if (payment.status === 'succeeded' || payment.status === 'failed') return payment.status;
  return null;
}

/** Unified status of a Smart Glocal session, or null for a status word the table does not know. */
export function toUnifiedStatus(session: Session): SessionStatus | null {
  const row = Object.prototype.hasOwnProperty.call(STATUS_TABLE, session.status) ? STATUS_TABLE[session.status] : undefined;
  const state = paymentState(decidingPayment(session));
  return row && state ? row[state] : null;
}

export function toFailure(payment: AcquiringPayment | null): SessionFailure {
  const error = payment?.error;
  return {
    code: typeof error?.code === 'string' && error.code !== '' ? error.code : 'payment_failed',
    message: typeof error?.description === 'string' && error.description !== '' ? error.description : 'Smart Glocal reported the payment as failed',
    source: PROVIDER_NAME,
  };
}

/** The session as a status report, or null when its status is not in the table. */
export function toStatusReport(session: Session): ProviderStatusReport | null {
  const status = toUnifiedStatus(session);
  if (!status) return null;
  const payment = decidingPayment(session);
  return {
    providerSessionId: session.id,
    status,
    providerStatus: payment ? `${session.status}/${payment.status}` : session.status,
    failure: status === 'failed' ? toFailure(payment) : null,
  };
}

/** paymux's session id carried in metadata, when the metadata is ours. */
export function paymuxSessionIdOf(session: Session): string | null {
  const metadata = session.metadata;
  if (typeof metadata !== 'object' || metadata === null) return null;
  const value = (metadata as Record<string, unknown>)[METADATA_KEYS.sessionId];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Exact duplicates of one notification share this key: session, payment and its status. */
export function notificationDedupeKey(session: Session): string {
  const payment = decidingPayment(session);
  return payment ? `${session.id}:${payment.id}:${payment.status}` : `${session.id}:-:${session.status}`;
}

/** Where to send the buyer after init/payment: the 3-D Secure page when asked, else back. */
export function redirectAfterInitPayment(session: Session, returnUrl: string): string {
  const payment = decidingPayment(session);
  return (payment && pendingCustomerRedirect(payment)) ?? returnUrl;
}
