/**
 * KOMOJU's documented shapes and constants, named as its docs name them (shared/providers/komoju.md:
 * Sessions, Session: Create, Payments, Customers, Webhooks, Errors). Items the docs do not state
 * outright are marked INFERRED; each lives in exactly one constant or type here.
 */

export const KOMOJU_SESSION_MODES = ['payment', 'customer', 'customer_payment'] as const;
export type KomojuSessionMode = (typeof KOMOJU_SESSION_MODES)[number];

/** Payment methods a session can offer (`payment_types`), as the Session: Create docs list them. */
export const KOMOJU_PAYMENT_TYPES = [
  'credit_card', 'konbini', 'bank_transfer', 'pay_easy', 'paypay', 'linepay', 'merpay', 'rakutenpay', 'paidy', 'alipay',
] as const;
export type KomojuPaymentType = (typeof KOMOJU_PAYMENT_TYPES)[number];

/** `default_locale` values. INFERRED: the docs name `ja`, `en`, `ko`; more may exist. */
export const KOMOJU_LOCALES = ['ja', 'en', 'ko'] as const;
export type KomojuLocale = (typeof KOMOJU_LOCALES)[number];

/**
 * Currencies paymux offers through KOMOJU, with the exponent of KOMOJU's "lowest denomination"
 * (JPY has none; USD counts cents). JPY and USD are documented; EUR, KRW and TWD depend on the
 * account and their exponents are INFERRED to follow ISO 4217.
 */
export const KOMOJU_CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  JPY: 0,
  USD: 2,
  EUR: 2,
  KRW: 0,
  TWD: 2,
});
export const KOMOJU_CURRENCIES: readonly string[] = Object.freeze(Object.keys(KOMOJU_CURRENCY_EXPONENTS));

/** `amount` is an int32 ≥ 0. */
export const KOMOJU_MAX_AMOUNT = 2_147_483_647;

/** `expires_in_seconds`: default and upper limit 86,400 (24 h). */
export const KOMOJU_MAX_EXPIRES_IN_SECONDS = 86_400;
export const KOMOJU_DEFAULT_EXPIRES_IN_SECONDS = KOMOJU_MAX_EXPIRES_IN_SECONDS;

/** `metadata`: string keys of at most 30 characters, string values of at most 2,000. */
export const KOMOJU_METADATA_LIMITS = Object.freeze({ keyMaxLength: 30, valueMaxLength: 2000 });

/** INFERRED header name: a retried create with the same key returns the same session. */
export const KOMOJU_IDEMPOTENCY_HEADER = 'X-KOMOJU-IDEMPOTENCY';

/** Headers of a webhook delivery (Webhooks). */
export const KOMOJU_WEBHOOK_HEADERS = Object.freeze({
  signature: 'X-Komoju-Signature',
  event: 'X-Komoju-Event',
  id: 'X-Komoju-ID',
});
export const KOMOJU_WEBHOOK_USER_AGENT = 'Komoju-Webhook';

export const KOMOJU_SESSION_STATUSES = ['pending', 'completed', 'cancelled'] as const;
export type KomojuSessionStatus = (typeof KOMOJU_SESSION_STATUSES)[number];

export const KOMOJU_PAYMENT_STATUSES = ['pending', 'authorized', 'captured', 'refunded', 'cancelled', 'expired', 'failed'] as const;
export type KomojuPaymentStatus = (typeof KOMOJU_PAYMENT_STATUSES)[number];

export const KOMOJU_EVENT_TYPES = [
  'ping',
  'payment.authorized', 'payment.captured', 'payment.updated', 'payment.expired', 'payment.cancelled',
  'payment.refund.created', 'payment.refunded', 'payment.failed',
  'customer.created', 'customer.updated', 'customer.deleted',
] as const;
export type KomojuEventType = (typeof KOMOJU_EVENT_TYPES)[number];

/** A line item shown on the session page. INFERRED field names. */
export interface KomojuLineItem {
  description: string;
  amount: number;
  quantity: number;
  image?: string;
}

/** `payment_data`: INFERRED sub-fields. */
export interface KomojuPaymentData {
  capture?: 'auto' | 'manual';
  external_order_num?: string;
  name?: string;
  tax?: number;
}

/** `POST /sessions` body: every documented parameter. */
export interface KomojuCreateSessionBody {
  mode: KomojuSessionMode;
  return_url?: string;
  /** Payment modes: lowest denomination of `currency`. */
  amount?: number;
  currency?: string;
  email?: string;
  expires_in_seconds?: number;
  external_customer_id?: string;
  customer_id?: string;
  payment_types?: string[];
  default_locale?: string;
  line_items?: KomojuLineItem[];
  metadata?: Record<string, string>;
  payment_data?: KomojuPaymentData;
}

export const KOMOJU_CREATE_SESSION_FIELDS: readonly (keyof KomojuCreateSessionBody)[] = [
  'mode', 'return_url', 'amount', 'currency', 'email', 'expires_in_seconds', 'external_customer_id', 'customer_id',
  'payment_types', 'default_locale', 'line_items', 'metadata', 'payment_data',
];

/** One offered payment method in a Session's `payment_methods`. INFERRED: objects carrying `type`. */
export interface KomojuSessionPaymentMethod {
  type: string;
}

/** The payment a completed session carries, and the `data` of `payment.*` events. */
export interface KomojuPayment {
  id: string;
  resource: 'payment';
  status: KomojuPaymentStatus;
  amount: number;
  currency: string;
  /** INFERRED: `{ type }` of the payment method used. */
  payment_details: { type: string } | null;
  /** INFERRED: the id of the session the payment came from. */
  session: string | null;
  /** INFERRED: the KOMOJU customer, when the session saved one. */
  customer: string | null;
  metadata: Record<string, string>;
  external_order_num: string | null;
  created_at: string;
  captured_at: string | null;
}

/** The `data` of `customer.*` events. */
export interface KomojuCustomer {
  id: string;
  resource: 'customer';
  email: string | null;
  external_customer_id: string | null;
  /** INFERRED: the session that created or updated the customer, when there was one. */
  session: string | null;
  metadata: Record<string, string>;
  created_at: string;
}

/** The Session object answered by create, show and cancel. */
export interface KomojuSession {
  id: string;
  resource: 'session';
  mode: KomojuSessionMode;
  amount: number | null;
  currency: string | null;
  session_url: string;
  return_url: string | null;
  default_locale: string;
  payment_methods: KomojuSessionPaymentMethod[];
  status: KomojuSessionStatus;
  email: string | null;
  created_at: string;
  /** INFERRED field. */
  expires_at: string;
  cancelled_at: string | null;
  completed_at: string | null;
  payment: KomojuPayment | null;
  customer_id: string | null;
  external_customer_id: string | null;
  line_items: KomojuLineItem[];
  metadata: Record<string, string>;
}

/** A webhook body. INFERRED beyond `id`, `type` and `data`. */
export interface KomojuEvent<T = KomojuPayment | KomojuCustomer | Record<string, unknown>> {
  id: string;
  type: string;
  resource: 'event';
  data: T;
  created_at: string;
  reason: string | null;
}

/** Error body (INFERRED shape). */
export interface KomojuErrorBody {
  error: { code: string; message: string; param: string | null };
}

/** Codes the docs name; KOMOJU may answer others. */
export const KOMOJU_ERROR_CODES = ['bad_request', 'unauthorized', 'not_found', 'invalid_parameter'] as const;

/** The source of "now" (expiry), injected so tests move time instead of sleeping. */
export interface KomojuClock {
  now(): Date;
}

export const SYSTEM_CLOCK: KomojuClock = { now: () => new Date() };
