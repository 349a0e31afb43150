/**
 * Smart Glocal's documented shapes, named as its docs name them (providers/smart-glocal.md,
 * "session/init/payment"). Every constant the integration depends on lives here; the ones marked
 * INFERRED were not read in the docs and are kept in one place so they are easy to change.
 */

/** API servers: URL = server + `/api/v1/` + method (only the major version is in the path). */
export const SMART_GLOCAL_SERVERS = {
  demo: 'https://demo.smart-glocal.com',
  live: 'https://proxy.smart-glocal.com',
} as const;

export const API_PATH_PREFIX = '/api/v1/';

export const SMART_GLOCAL_METHODS = {
  createSession: 'session/create',
  /** INFERRED from public integration code: issues the payment widget's public token. */
  token: 'token',
  initPayment: 'session/init/payment',
  /** INFERRED for pay-ins (the docs name `session/start/payout` for payouts). */
  startPayment: 'session/start/payment',
  /** INFERRED name, used for reconciliation. */
  getSession: 'session/get',
  /** INFERRED. */
  cancelSession: 'session/cancel',
} as const;
export type SmartGlocalMethod = (typeof SMART_GLOCAL_METHODS)[keyof typeof SMART_GLOCAL_METHODS];

export const HEADERS = {
  project: 'X-PARTNER-PROJECT',
  sign: 'X-PARTNER-SIGN',
  submerchant: 'X-PARTNER-SUBMERCHANT',
  /** INFERRED: the docs ask for an idempotency key on session/init/payment without naming the header. */
  idempotencyKey: 'X-PARTNER-IDEMPOTENCY-KEY',
} as const;

/**
 * The payment widget (INFERRED from public integration code): served from its own host, a script
 * and a stylesheet, exposing a global `SmglPaymentForm` initialised with a public token.
 */
export const WIDGET = {
  hosts: {
    demo: 'https://widget-demo.smart-glocal.com',
    live: 'https://widget.smart-glocal.com',
  },
  script: 'payment-form.js',
  stylesheet: 'payment-form.css',
  globalName: 'SmglPaymentForm',
} as const;

/**
 * Where the widget lives for an API base URL: the documented widget hosts for the documented
 * servers; anything else (the simulator) serves its stand-in widget from its own base URL.
 */
export function widgetBaseUrlFor(apiBaseUrl: string): string {
  const trimmed = apiBaseUrl.replace(/\/+$/, '');
  if (trimmed === SMART_GLOCAL_SERVERS.demo) return WIDGET.hosts.demo;
  if (trimmed === SMART_GLOCAL_SERVERS.live) return WIDGET.hosts.live;
  return trimmed;
}

/** Session and payment statuses seen in the docs (`succeeded`, `failed` INFERRED from public code). */
export const PAYMENT_STATUSES = ['in_progress', 'succeeded', 'failed'] as const;
export type AcquiringPaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** `cancelled` is INFERRED together with `session/cancel`. */
export const SESSION_STATUSES = ['in_progress', 'succeeded', 'failed', 'cancelled'] as const;
export type SmartGlocalSessionStatus = (typeof SESSION_STATUSES)[number];

/** Notification types; public code handles `payment_finished` (INFERRED beyond that). */
export const NOTIFICATION_TYPES = { paymentFinished: 'payment_finished' } as const;

export interface AmountDetails {
  /** Minor units: 10000 = 100.00 USD. */
  amount: number;
  /** Lower-case ISO 4217 code. */
  currency: string;
}

export interface Customer {
  /** The customer's id in the partner's system. */
  reference: string;
}

export interface PaymentOptions {
  /** Where the buyer returns after 3-D Secure / the widget. */
  return_url?: string;
}

/** Raw card data as sent in `payment_details` — PCI DSS scope: never stored, never logged. */
export interface BankCard {
  number: string;
  /** Two digits, "05". */
  expiration_month: string;
  /** Two digits, "25". */
  expiration_year: string;
  security_code: string;
}

export interface CardPaymentDetails {
  type: 'card';
  card: { type: 'bank_card'; bank_card: BankCard };
}

/** The card as answers show it: masked to brand and last four digits. */
export interface MaskedCardPaymentDetails {
  type: 'card';
  card: { brand: string; last4: string };
}

export type Metadata = unknown;

export interface SessionCreateRequest {
  amount_details: AmountDetails;
  customer: Customer;
  payment_options?: PaymentOptions;
  metadata?: Metadata;
}

export interface SessionInitPaymentRequest {
  payment_details: CardPaymentDetails;
  amount_details: AmountDetails;
  participant_details?: Record<string, unknown>;
  customer: Customer;
  payment_options?: PaymentOptions;
  metadata?: Metadata;
}

/** INFERRED shape: like init/payment, for a session created earlier. */
export interface SessionStartPaymentRequest {
  session_id: string;
  payment_details: CardPaymentDetails;
  amount_details?: AmountDetails;
  customer?: Customer;
  payment_options?: PaymentOptions;
  metadata?: Metadata;
}

/** INFERRED shape for session/get and session/cancel. */
export interface SessionIdRequest {
  session_id: string;
}

export interface TokenRequest {
  acquiring_widget: { session_id: string; locale?: string; show_recurrent_checkbox?: string };
}

/**
 * INFERRED: how a payment asks for the buyer's action (3-D Secure). Named after the widget's
 * `customerInteractionRedirect` option in public integration code. Read it only through
 * `pendingCustomerRedirect`.
 */
export interface CustomerInteraction {
  type: 'redirect';
  redirect: { url: string };
}

export interface PaymentFailure {
  code: string;
  description: string;
}

export interface AcquiringPayment {
  id: string;
  status: AcquiringPaymentStatus;
  created_at: string;
  finished_at?: string;
  customer: Customer;
  payment_details: MaskedCardPaymentDetails;
  amount_details: AmountDetails;
  payment_options?: PaymentOptions;
  customer_interaction?: CustomerInteraction;
  /** INFERRED: the decline reason of a failed payment, in the error envelope's shape. */
  error?: PaymentFailure;
}

export interface Session {
  id: string;
  status: SmartGlocalSessionStatus;
  created_at: string;
  updated_at: string;
  amount_details?: AmountDetails;
  customer?: Customer;
  payment_options?: PaymentOptions;
  acquiring_payments: AcquiringPayment[];
  metadata?: Metadata;
}

export interface ApiErrorBody {
  code: string;
  description: string;
}

/** Every answer: `{"status": "ok" | "error", "session"?, "error"?}`. */
export interface Envelope {
  status: 'ok' | 'error';
  session?: Session;
  public_token?: string;
  error?: ApiErrorBody;
}

export interface Notification {
  type: string;
  session: Session;
}

/** The URL the buyer must visit to finish a payment (3-D Secure), or null. */
export function pendingCustomerRedirect(payment: AcquiringPayment): string | null {
  if (payment.status !== 'in_progress') return null;
  const interaction = payment.customer_interaction;
  return interaction?.type === 'redirect' && typeof interaction.redirect?.url === 'string' ? interaction.redirect.url : null;
}

/** The newest payment of a session (payments are listed oldest first), or null. */
export function latestPayment(session: Session): AcquiringPayment | null {
  const payments = session.acquiring_payments ?? [];
  return payments.length > 0 ? payments[payments.length - 1] : null;
}
