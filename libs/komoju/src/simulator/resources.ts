import { randomBytes } from 'node:crypto';
import {
  KOMOJU_DEFAULT_EXPIRES_IN_SECONDS,
  KOMOJU_PAY_LATER_TYPES,
  KomojuCreateSessionBody,
  KomojuCustomer,
  KomojuPayment,
  KomojuPaymentStatus,
  KomojuSession,
} from '../types';

/** A 25-character id, as KOMOJU's sessions, payments and events have. */
export function komojuId(): string {
  return randomBytes(16).toString('hex').slice(0, 25);
}

/** What the simulator keeps beside the Session object KOMOJU answers. */
export interface StoredSession {
  session: KomojuSession;
  capture: 'auto' | 'manual';
  /** When the session stops accepting the customer (`expires_in_seconds` after creation). */
  expiresAtMs: number;
  externalCustomerId: string | null;
  /** The customer exists before the session (`customer_id` given at creation). */
  existingCustomer: boolean;
  /** A card payment authorized under manual capture lapses (`payment.expired`) at this time if not captured. */
  holdUntilMs: number | null;
}

export function newSessionObject(body: KomojuCreateSessionBody, id: string, baseUrl: string, now: Date, offered: readonly string[]): StoredSession {
  const customerMode = body.mode === 'customer';
  const session: KomojuSession = {
    id,
    resource: 'session',
    mode: body.mode,
    amount: customerMode ? null : (body.amount ?? null),
    currency: customerMode ? null : (body.currency ?? null),
    session_url: `${baseUrl}/sessions/${id}`,
    return_url: body.return_url ?? null,
    default_locale: body.default_locale ?? 'ja',
    payment_methods: (body.payment_types ?? offered).map((type) => ({ type })),
    created_at: now.toISOString(),
    cancelled_at: null,
    completed_at: null,
    status: 'pending',
    expired: false,
    metadata: body.metadata ?? {},
    payment: null,
    payment_data: body.payment_data ?? null,
    secure_token: randomBytes(16).toString('hex'),
  };
  // Only when the mode includes customer; a new customer's id is known (not yet usable) at once.
  if (body.mode !== 'payment') session.customer_id = body.customer_id ?? komojuId();
  if (body.line_items) session.line_items = body.line_items;
  if (body.email) session.email = body.email;
  return {
    session,
    capture: body.payment_data?.capture ?? 'auto',
    expiresAtMs: now.getTime() + (body.expires_in_seconds ?? KOMOJU_DEFAULT_EXPIRES_IN_SECONDS) * 1000,
    externalCustomerId: body.external_customer_id ?? null,
    existingCustomer: body.customer_id !== undefined,
    holdUntilMs: null,
  };
}

export interface ChargeOverride {
  /** Added to the session's amount (a fault: KOMOJU charging something else). */
  amountDelta: number;
  /** Charged in this currency instead of the session's (a fault). */
  currency: string | null;
}

export function newPayment(
  stored: StoredSession, status: KomojuPaymentStatus, type: string | null, now: Date, deadlineMs: number, charge: ChargeOverride,
): KomojuPayment {
  const { session } = stored;
  const amount = (session.amount ?? 0) + charge.amountDelta;
  const payLater = type !== null && KOMOJU_PAY_LATER_TYPES.includes(type);
  return {
    id: komojuId(),
    resource: 'payment',
    status,
    amount,
    tax: 0,
    total: amount,
    payment_method_fee: 0,
    currency: charge.currency ?? session.currency ?? 'JPY',
    customer: session.mode === 'customer_payment' ? (session.customer_id ?? null) : null,
    payment_deadline: payLater ? new Date(Math.min(now.getTime() + deadlineMs, Number.MAX_SAFE_INTEGER)).toISOString() : null,
    payment_details: type ? { type, ...(payLater ? { instructions_url: `${session.session_url}#instructions` } : {}) } : null,
    description: null,
    captured_at: status === 'captured' ? now.toISOString() : null,
    external_order_num: session.payment_data?.external_order_num ?? null,
    metadata: { ...session.metadata },
    created_at: now.toISOString(),
    amount_refunded: 0,
    locale: session.default_locale,
    session: session.id,
    refunds: [],
    refund_requests: [],
  };
}

export function newCustomer(stored: StoredSession, id: string, now: Date): KomojuCustomer {
  return {
    id,
    resource: 'customer',
    email: stored.session.email ?? null,
    source: { type: stored.session.payment?.payment_details?.type ?? 'credit_card' },
    metadata: { ...stored.session.metadata },
    created_at: now.toISOString(),
    locale: stored.session.default_locale,
  };
}
