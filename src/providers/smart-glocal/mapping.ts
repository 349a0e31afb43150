import { createHash } from 'node:crypto';
import {
  InvalidRequest,
  isMinorAmount,
  ProviderStatusReport,
  ReportedAmount,
  SessionFailure,
  SessionStatus,
  UnifiedSessionRequest,
} from '@paymux/payments';
import {
  AcquiringPayment,
  AcquiringPaymentStatus,
  AmountDetails,
  BankCard,
  CardPaymentDetails,
  NEXT_ACTIONS,
  NextAction,
  NOTIFICATION_TYPES,
  PAYMENT_STATUSES,
  Session,
  SESSION_STATUSES,
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

/**
 * Keys paymux puts in the request's `metadata`; Smart Glocal shows it on the payment objects
 * (`acquiring_payments[].metadata`) in answers and notifications, not on the session.
 */
export const METADATA_KEYS = { sessionId: 'paymux_session_id', orderId: 'paymux_order_id', refundId: 'paymux_refund_id' } as const;

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

/**
 * The hosted flow: a session without card data; the buyer pays in the widget. `returnUrl` is
 * where the buyer lands after the widget or the bank step: the adapter gives paymux's pay page,
 * which waits for the outcome and shows it (a decline is told, not a silent return to the shop).
 */
export function toSessionCreateRequest(request: UnifiedSessionRequest, returnUrl = request.buyerReturnUrl): SessionCreateRequest & Pick<SessionInitPaymentRequest, 'amount_details' | 'customer'> {
  return {
    amount_details: toAmountDetails(request),
    customer: { reference: toCustomerReference(request) },
    payment_options: { return_url: returnUrl },
    metadata: toMetadata(request),
  };
}

/** Server-to-server: session and card payment in one call. */
export function toSessionInitPaymentRequest(request: UnifiedSessionRequest, card: CardInput, returnUrl = request.buyerReturnUrl): SessionInitPaymentRequest {
  return {
    payment_details: toCardPaymentDetails(card),
    ...toSessionCreateRequest(request, returnUrl),
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

/** What the deciding payment says: its documented status, or `none` when the session has no payment. */
export type PaymentState = 'none' | AcquiringPaymentStatus;

/**
 * The one status table (providers/smart-glocal.md, "Objects and statuses"): Smart Glocal session
 * status × the status of its deciding payment → unified status. The session's status decides
 * finality: `error` is not final whatever the payment says, and a payment's own `failed` is final
 * only once the session is. Outside `error`, a succeeded payment always wins, so money taken is
 * never hidden. Cells the docs do not describe (NOT IN PUBLIC DOCS) are marked `*` in the README.
 */
export const STATUS_TABLE: Readonly<Record<SmartGlocalSessionStatus, Readonly<Record<PaymentState, SessionStatus>>>> = {
  created: { none: 'open', in_progress: 'open', pending: 'open', succeeded: 'succeeded', failed: 'open' },
  in_progress: { none: 'processing', in_progress: 'processing', pending: 'processing', succeeded: 'succeeded', failed: 'processing' },
  accepted: { none: 'processing', in_progress: 'processing', pending: 'processing', succeeded: 'succeeded', failed: 'failed' },
  cancelled: { none: 'cancelled', in_progress: 'cancelled', pending: 'cancelled', succeeded: 'succeeded', failed: 'failed' },
  error: { none: 'processing', in_progress: 'processing', pending: 'processing', succeeded: 'processing', failed: 'processing' },
};

function isKnown<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** The payment that decides the session: a succeeded one if any, else the newest. */
export function decidingPayment(session: Session): AcquiringPayment | null {
  const payments = session.acquiring_payments ?? [];
  return payments.find((p) => p.status === 'succeeded') ?? payments[payments.length - 1] ?? null;
}

/** The payment's state for the table, or null for a status word the docs do not list. */
export function paymentState(payment: AcquiringPayment | null): PaymentState | null {
  if (!payment) return 'none';
  return isKnown(PAYMENT_STATUSES, payment.status) ? payment.status : null;
}

/** Unified status of a Smart Glocal session, or null for a status word the table does not know. */
export function toUnifiedStatus(session: Session): SessionStatus | null {
  if (!isKnown(SESSION_STATUSES, session.status)) return null;
  const state = paymentState(decidingPayment(session));
  return state ? STATUS_TABLE[session.status][state] : null;
}

/** The payment's `error` (else the session's) as the failure; Smart Glocal's codes pass through unchanged. */
export function toFailure(payment: AcquiringPayment | null, session?: Session): SessionFailure {
  const error = payment?.error ?? session?.error;
  return {
    code: typeof error?.code === 'string' && error.code !== '' ? error.code : 'payment_failed',
    message: typeof error?.description === 'string' && error.description !== '' ? error.description : 'Smart Glocal reported the payment as failed',
    source: PROVIDER_NAME,
  };
}

/**
 * The amount the deciding payment states, in paymux's terms: Smart Glocal's amount is already
 * minor units (10000 = 100.00 USD), the code is upper-cased. Reported as it reads, never rounded.
 */
export function toReportedAmount(payment: AcquiringPayment | null): ReportedAmount | null {
  const details = payment?.amount_details;
  if (!details || typeof details.amount !== 'number' || typeof details.currency !== 'string') return null;
  return { amount: details.amount, currency: details.currency.toUpperCase() };
}

/**
 * What Smart Glocal waits for paymux to call before it goes on: `session/confirm` after
 * `ready_to_confirm` (unless the account confirms automatically), `session/capture` after
 * `ready_to_capture` (paymux captures in full and at once: manual capture is not offered yet).
 * From the webhook type, or from `next_action` in a `session/status` answer.
 */
export function toFollowUp(session: Session, options: { autoConfirmation: boolean; notificationType?: string }): NextAction | null {
  const asked =
    options.notificationType === NOTIFICATION_TYPES.readyToConfirm
      ? 'confirm'
      : options.notificationType === NOTIFICATION_TYPES.readyToCapture
        ? 'capture'
        : isKnown(NEXT_ACTIONS, session.next_action)
          ? session.next_action
          : null;
  if (asked === 'confirm' && options.autoConfirmation) return null;
  return asked;
}

/** The session as a status report, or null when its status is not in the table. */
export function toStatusReport(session: Session, options: { autoConfirmation: boolean; notificationType?: string } = { autoConfirmation: false }): ProviderStatusReport | null {
  const status = toUnifiedStatus(session);
  if (!status) return null;
  const payment = decidingPayment(session);
  return {
    providerSessionId: session.id,
    status,
    providerStatus: payment ? `${session.status}/${payment.status}` : session.status,
    failure: status === 'failed' ? toFailure(payment, session) : null,
    amount: toReportedAmount(payment),
    followUp: toFollowUp(session, options),
  };
}

/** paymux's session id, from the metadata of the session's payments (Smart Glocal keeps metadata there). */
export function paymuxSessionIdOf(session: Session): string | null {
  for (const payment of session.acquiring_payments ?? []) {
    const metadata = payment.metadata;
    if (typeof metadata !== 'object' || metadata === null) continue;
    const value = (metadata as Record<string, unknown>)[METADATA_KEYS.sessionId];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/**
 * NOT IN PUBLIC DOCS: an event or delivery id. Exact duplicates of one notification share type,
 * session id, deciding payment id and status, and refund ids. The session's status is in the key
 * too: `error` then `cancelled` with the same failed payment are two different notifications.
 */
const REFUNDS_IN_KEY_MAX = 80;

export function notificationDedupeKey(type: string, session: Session): string {
  const payment = decidingPayment(session);
  const listed = (payment?.refunds ?? []).map((r) => `${r.id}/${r.status}`).join(',');
  // A payment refunded many times would outgrow the stored key: a long list is kept as its digest.
  const refunds = listed.length > REFUNDS_IN_KEY_MAX ? `sha256-${createHash('sha256').update(listed).digest('hex')}` : listed;
  return [type, session.id, session.status, payment?.id ?? '-', payment?.status ?? '-', refunds].join(':');
}
