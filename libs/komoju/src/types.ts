/**
 * KOMOJU's documented shapes and constants, named as its docs name them (shared/providers/komoju.md:
 * Sessions, Session: Create, Payments, Customers, Webhooks, Errors). Choices the public docs do not
 * settle are marked NOT IN PUBLIC DOCS; each lives in exactly one constant or type here.
 */

export const KOMOJU_SESSION_MODES = ['payment', 'customer', 'customer_payment'] as const;
export type KomojuSessionMode = (typeof KOMOJU_SESSION_MODES)[number];

/** Payment methods a session can offer (`payment_types`), as the Session: Create docs list them. */
export const KOMOJU_PAYMENT_TYPES = [
  'credit_card', 'konbini', 'bank_transfer', 'pay_easy', 'paypay', 'linepay', 'merpay', 'rakutenpay', 'paidy', 'alipay',
] as const;
export type KomojuPaymentType = (typeof KOMOJU_PAYMENT_TYPES)[number];

/** `default_locale` values (`Locale`: `ja`, `en`, `ko`). */
export const KOMOJU_LOCALES = ['ja', 'en', 'ko'] as const;
export type KomojuLocale = (typeof KOMOJU_LOCALES)[number];

/**
 * Currencies paymux offers through KOMOJU, with the exponent of KOMOJU's "lowest denomination"
 * (JPY has none; USD counts cents). JPY and USD are documented; EUR, KRW and TWD depend on the
 * account and their exponents are NOT IN PUBLIC DOCS: chosen to follow ISO 4217.
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

/**
 * Idempotency (POST only): at most 100 ASCII characters; the same key with the same body answers
 * the first answer without re-running, a retry while the first still runs answers 409, and a key
 * is remembered for 24 hours.
 */
export const KOMOJU_IDEMPOTENCY_HEADER = 'X-KOMOJU-IDEMPOTENCY';
export const KOMOJU_IDEMPOTENCY_KEY_MAX_LENGTH = 100;
export const KOMOJU_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

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

/** A line item shown on the session page (`LineItem`: `amount`, `description`, `quantity`, `image`). */
export interface KomojuLineItem {
  description: string;
  amount: number;
  quantity: number;
  image?: string;
}

/** `payment_data` (`PaymentDataRequest`); the sub-fields paymux sends or the simulator reads. */
export interface KomojuPaymentData {
  /** `auto` (default) or `manual`: two-step capture. */
  capture?: 'auto' | 'manual';
  /** Must be unique per session. */
  external_order_num?: string;
  name?: string;
  name_kana?: string;
  amount?: number;
  currency?: string;
}

/**
 * Payment types whose `authorized` means reserved: the customer still has to pay at the store or
 * bank before `payment_deadline` (Payments). For the others `authorized` is a card hold awaiting
 * the merchant's capture.
 */
export const KOMOJU_PAY_LATER_TYPES: readonly string[] = Object.freeze(['konbini', 'bank_transfer', 'pay_easy']);

/**
 * NOT IN PUBLIC DOCS: how long a reserved konbini / bank_transfer / pay_easy payment waits for
 * the customer (`payment_deadline`). Choice for the simulator: three days.
 */
export const KOMOJU_SIMULATOR_PAYMENT_DEADLINE_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * NOT IN PUBLIC DOCS: how long a card payment authorized under manual capture stays on hold before
 * it lapses. Choice for the simulator: seven days (the usual card-scheme hold), then `payment.expired`.
 */
export const KOMOJU_SIMULATOR_HOLD_MS = 7 * 24 * 60 * 60 * 1000;

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

/**
 * One offered payment method in a Session's `payment_methods`. NOT IN PUBLIC DOCS: the entries'
 * shape. Choice: objects carrying `type`.
 */
export interface KomojuSessionPaymentMethod {
  type: string;
}

/** The Payment (`Payment`): what a completed session carries, and the `data` of `payment.*` events. */
export interface KomojuPayment {
  id: string;
  resource: 'payment';
  status: KomojuPaymentStatus;
  /** Lowest denomination of `currency`. */
  amount: number;
  tax: number;
  /** `amount` + `tax` + `payment_method_fee`. */
  total: number;
  payment_method_fee: number;
  currency: string;
  /** The KOMOJU customer, when the payment used or saved one. */
  customer: string | null;
  /** When a reserved (konbini-like) payment must be paid by; null for others. */
  payment_deadline: string | null;
  /** `{ type }` of the payment method used, and what the customer needs (e.g. konbini receipt). */
  payment_details: { type: string; [detail: string]: unknown } | null;
  description: string | null;
  captured_at: string | null;
  external_order_num: string | null;
  metadata: Record<string, string>;
  created_at: string;
  amount_refunded: number;
  locale: string;
  /** The id of the session the payment came from. */
  session: string | null;
  refunds: unknown[];
  refund_requests: unknown[];
}

/** The Customer (`Customer`), the `data` of `customer.*` events: it names no session. */
export interface KomojuCustomer {
  id: string;
  resource: 'customer';
  email: string | null;
  source: Record<string, unknown> | null;
  metadata: Record<string, string>;
  created_at: string;
  locale: string | null;
}

/** The Session object answered by create, show and cancel (`Session`). There is no `expires_at`. */
export interface KomojuSession {
  /** 25 characters. */
  id: string;
  resource: 'session';
  mode: KomojuSessionMode;
  amount: number | null;
  currency: string | null;
  session_url: string;
  return_url: string | null;
  default_locale: string;
  payment_methods: KomojuSessionPaymentMethod[];
  created_at: string;
  cancelled_at: string | null;
  completed_at: string | null;
  status: KomojuSessionStatus;
  /** True once the session can no longer be completed. */
  expired: boolean;
  metadata: Record<string, string>;
  /** The Payment, once there is one. */
  payment: KomojuPayment | null;
  payment_data: KomojuPaymentData | null;
  /** Only when the mode includes customer; usable once the session is completed. */
  customer_id?: string | null;
  secure_token: string;
  /** Only if given at creation. */
  line_items?: KomojuLineItem[];
  /** Only if given at creation. */
  email?: string;
}

/** A webhook body (`Event`): `data` is the Payment for `payment.*` events. */
export interface KomojuEvent<T = KomojuPayment | KomojuCustomer | Record<string, unknown>> {
  id: string;
  type: string;
  resource: 'event';
  data: T;
  created_at: string;
  reason: string | null;
}

/** Error body (Errors; the SDK's `APIErrorError` adds `details`). */
export interface KomojuErrorBody {
  error: { message: string; code: string; param: string | null; details?: Record<string, unknown> };
}

/** Codes the Errors page names, with their HTTP status; KOMOJU answers others (`missing_parameter`), kept as they come. */
export const KOMOJU_ERROR_CODES = Object.freeze({
  bad_request: 400,
  missing_parameter: 400,
  request_failed: 402,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unprocessable_entity: 422,
  internal_server_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  gateway_timeout: 504,
} as const);
export type KomojuErrorCode = keyof typeof KOMOJU_ERROR_CODES;

