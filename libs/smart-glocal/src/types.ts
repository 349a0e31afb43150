/**
 * Smart Glocal's documented shapes, named as its docs name them (providers/smart-glocal.md,
 * "session/init/payment"). Every constant the integration depends on lives here; the ones marked
 * NOT IN PUBLIC DOCS are choices kept in one place so they are one edit when Smart Glocal confirms otherwise.
 */

/** API servers: URL = server + `/api/v1/` + method (only the major version is in the path). */
export const SMART_GLOCAL_SERVERS = {
  demo: 'https://demo.smart-glocal.com',
  live: 'https://proxy.smart-glocal.com',
} as const;

export const API_PATH_PREFIX = '/api/v1/';

export const SMART_GLOCAL_METHODS = {
  createSession: 'session/create',
  /** Issues the payment widget's public token (`/docs/reference/methods/token-method`). */
  token: 'token',
  initPayment: 'session/init/payment',
  startPayment: 'session/start/payment',
  /** `{"session_id"}`: the full PaymentSession (`/docs/reference/methods/session-status`). */
  sessionStatus: 'session/status',
  /** `{"session_id"}`, after `ready_to_confirm` (else the operation ends cancelled after 240 minutes). */
  confirmSession: 'session/confirm',
  /** `{"session_id"}`, in response to `ready_to_confirm` / `ready_to_capture`, or for a `created` session. */
  cancelSession: 'session/cancel',
  /** `{"session_id"}`, after `ready_to_capture`: debits the hold. */
  captureSession: 'session/capture',
  /** `{"session_id", "amount_details"?, "metadata"?}`: refunds the succeeded payment, in full without `amount_details`. */
  refundSession: 'session/refund',
} as const;
export type SmartGlocalMethod = (typeof SMART_GLOCAL_METHODS)[keyof typeof SMART_GLOCAL_METHODS];

export const HEADERS = {
  project: 'X-PARTNER-PROJECT',
  sign: 'X-PARTNER-SIGN',
  submerchant: 'X-PARTNER-SUBMERCHANT',
  /** NOT IN PUBLIC DOCS: the docs ask for an idempotency key on session/init/payment without naming the header. */
  idempotencyKey: 'X-PARTNER-IDEMPOTENCY-KEY',
} as const;

/**
 * The payment widget (NOT IN PUBLIC DOCS: names used by public integrations, unverified): served from its own host, a script
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

/** PaymentSession statuses (`/docs/reference/objects`). `error` is NOT final: wait for a final status. */
export const SESSION_STATUSES = ['created', 'in_progress', 'accepted', 'cancelled', 'error'] as const;
export type SmartGlocalSessionStatus = (typeof SESSION_STATUSES)[number];
/** Acquiring payment statuses; `pending` waits for the partner's `session/confirm` or `session/cancel`. */
export const PAYMENT_STATUSES = ['in_progress', 'pending', 'succeeded', 'failed'] as const;
export type AcquiringPaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** `next_action` of a session: Smart Glocal waits for that call. */
export const NEXT_ACTIONS = ['confirm', 'capture'] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number];

/** The five documented webhook types (`/docs/reference/webhooks`). */
export const NOTIFICATION_TYPES = {
  readyToConfirm: 'ready_to_confirm',
  actionRequired: 'action_required',
  readyToCapture: 'ready_to_capture',
  paymentFinished: 'payment_finished',
  paymentRefunded: 'payment_refunded',
} as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[keyof typeof NOTIFICATION_TYPES];

/** An unconfirmed operation ends cancelled after this long (`ready_to_confirm`). */
export const CONFIRM_DEADLINE_MINUTES = 240;
/** The buyer's action (3-D Secure) is awaited this long, then the operation ends cancelled. */
export const ACTION_DEADLINE_MINUTES = 60;

export interface AmountDetails {
  /** Minor units: 10000 = 100.00 USD. */
  amount: number;
  /** Lower-case ISO 4217 code. */
  currency: string;
}

export interface Customer {
  /** The customer's id in the partner's system. */
  reference: string;
  contacts?: ({ email: string } | { phone: string })[];
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
  card: { brand: string; last4: string; bin?: string };
}

export type Metadata = unknown;

/** `session/create`: every field optional; what is missing comes in `session/start/payment`. */
export interface SessionCreateRequest {
  payment_details?: CardPaymentDetails;
  amount_details?: AmountDetails;
  customer?: Customer;
  participant_details?: Record<string, unknown>;
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

/** `session/start/payment`: any field of create, which may change ones sent before. */
export interface SessionStartPaymentRequest {
  session_id: string;
  payment_details?: CardPaymentDetails;
  amount_details?: AmountDetails;
  customer?: Customer;
  participant_details?: Record<string, unknown>;
  payment_options?: PaymentOptions;
  metadata?: Metadata;
}

/** `session/status`, `session/confirm`, `session/cancel`, `session/capture`. */
export interface SessionIdRequest {
  session_id: string;
}

/** `session/refund` (`/docs/reference/methods/session-refund`): omitted `amount_details` = a full refund. */
export interface SessionRefundRequest {
  session_id: string;
  amount_details?: AmountDetails;
  metadata?: Metadata;
}

export interface TokenRequest {
  acquiring_widget: {
    session_id: string;
    locale?: string;
    show_recurrent_checkbox?: boolean;
    success_return_url?: string;
    failure_return_url?: string;
    success_on_hold?: boolean;
  };
}

/** 3-D Secure / FPS: what the buyer must do (`/docs/reference/webhooks/action-required`). */
export type CustomerInteraction =
  | {
      type: 'redirect';
      redirect: { url: string; base_url?: string; method?: string; qs?: Record<string, string>; params?: Record<string, string> };
    }
  | { type: 'inform'; inform: { qr?: { content: string } } };

export interface PaymentFailure {
  code: string;
  description: string;
}

export interface Refund {
  id: string;
  status: string;
  created_at?: string;
  finished_at?: string;
  is_chargeback?: boolean;
  amount_details?: AmountDetails;
}

export interface AcquiringPayment {
  id: string;
  status: AcquiringPaymentStatus;
  created_at: string;
  finished_at?: string;
  customer?: Customer;
  payment_details?: MaskedCardPaymentDetails;
  amount_details: AmountDetails;
  payment_options?: PaymentOptions;
  recurrent?: unknown;
  participant_details?: Record<string, unknown>;
  refunds?: Refund[];
  customer_interaction?: CustomerInteraction;
  transaction_info?: { rrn?: string; auth_code?: string };
  /** The partner's metadata lives on payment objects, not on the session. */
  metadata?: Metadata;
  error?: PaymentFailure;
}

/** PaymentSession (`/docs/reference/objects`): no metadata of its own. */
export interface Session {
  id: string;
  status: SmartGlocalSessionStatus;
  created_at: string;
  updated_at: string;
  /** Payouts; paymux makes none, kept so parsing never drops them. */
  payments?: unknown[];
  acquiring_payments: AcquiringPayment[];
  next_action?: NextAction;
  error?: ApiErrorBody;
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

/** The 3-D Secure redirect of a payment waiting for the buyer (`pending` + `customer_interaction`), or null. */
export function pendingCustomerRedirect(payment: AcquiringPayment): Extract<CustomerInteraction, { type: 'redirect' }>['redirect'] | null {
  if (payment.status !== 'pending' && payment.status !== 'in_progress') return null;
  const interaction = payment.customer_interaction;
  return interaction?.type === 'redirect' && typeof interaction.redirect?.url === 'string' ? interaction.redirect : null;
}

/** The newest payment of a session (payments are listed oldest first), or null. */
export function latestPayment(session: Session): AcquiringPayment | null {
  const payments = session.acquiring_payments ?? [];
  return payments.length > 0 ? payments[payments.length - 1] : null;
}
