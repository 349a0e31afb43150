import type { Clock } from '@paymux/payments';
import { KOMOJU_PAY_LATER_TYPES, KOMOJU_SIMULATOR_HOLD_MS, KOMOJU_SIMULATOR_PAYMENT_DEADLINE_MS, KomojuCustomer, KomojuEvent, KomojuPaymentStatus, KomojuSession } from '../types';
import { ChargeOverride, newCustomer, newPayment, StoredSession } from './resources';

/** A refusal in KOMOJU's error terms (HTTP status and `error.code`). */
export class SessionStateError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type EmitEvent = (type: string, data: KomojuEvent['data'], group: string, reason?: string | null) => void;

/**
 * The simulated account's sessions, payments and customers, and every status change they go
 * through (shared/providers/komoju.md: Session object, Payments, Customers), each announced by its
 * webhook. HTTP lives in KomojuSimulator.
 */
export class KomojuAccount {
  private readonly sessions = new Map<string, StoredSession>();
  private readonly customers = new Map<string, KomojuCustomer>();

  constructor(
    private readonly clock: Clock,
    private readonly charge: () => ChargeOverride,
    private readonly emit: EmitEvent,
    private readonly paymentDeadlineMs = KOMOJU_SIMULATOR_PAYMENT_DEADLINE_MS,
    private readonly holdMs = KOMOJU_SIMULATOR_HOLD_MS,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  add(stored: StoredSession): void {
    this.sessions.set(stored.session.id, stored);
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  customerExists(id: string): boolean {
    return this.customers.has(id);
  }

  stored(id: string): StoredSession {
    const stored = this.sessions.get(id);
    if (!stored) throw new SessionStateError(404, 'not_found', 'No such session');
    return stored;
  }

  /** The session holding a payment (Payment objects carry `session`). */
  storedByPayment(paymentId: string): StoredSession {
    for (const stored of this.sessions.values()) if (stored.session.payment?.id === paymentId) return stored;
    throw new SessionStateError(404, 'not_found', 'No such payment');
  }

  /**
   * The customer completes the session: a card is captured (or authorized under manual capture);
   * konbini, bank_transfer and pay_easy are reserved (`authorized`, with `payment_deadline`).
   */
  complete(stored: StoredSession, paymentType?: string): StoredSession {
    const { session } = stored;
    this.assertPending(stored);
    const type = this.offeredType(session, paymentType);
    if (session.mode !== 'customer') {
      const payLater = KOMOJU_PAY_LATER_TYPES.includes(type);
      const reserved = payLater || stored.capture === 'manual';
      session.payment = this.payment(stored, reserved ? 'authorized' : 'captured', type);
      if (reserved && !payLater) stored.holdUntilMs = this.clock.now().getTime() + this.holdMs;
    }
    session.status = 'completed';
    session.completed_at = this.clock.now().toISOString();
    if (session.mode !== 'payment') this.saveCustomer(stored);
    if (session.payment) this.emitPayment(session.payment.status === 'captured' ? 'payment.captured' : 'payment.authorized', stored, null);
    return stored;
  }

  /** The customer pays a reserved konbini-like payment at the store / bank: `payment.captured`. */
  payAtStore(stored: StoredSession): void {
    const payment = stored.session.payment;
    if (!payment || payment.status !== 'authorized' || !KOMOJU_PAY_LATER_TYPES.includes(payment.payment_details?.type ?? '')) {
      throw new SessionStateError(422, 'unprocessable_entity', 'There is no reserved payment waiting to be paid');
    }
    this.setPaymentStatus(stored, 'captured', 'payment.captured', null);
  }

  /**
   * The merchant captures a payment on hold (`POST /payments/{id}/capture`), in part with
   * `amount`: only a card hold made under manual capture, never a konbini-like reservation.
   * NOT IN PUBLIC DOCS: what a partial capture does to the payment. Choice: `amount` and `total`
   * become the captured amount (the rest of the hold is released), so refunds are bounded by it.
   */
  capture(stored: StoredSession, amount?: number): void {
    const payment = stored.session.payment;
    if (payment?.status !== 'authorized' || stored.holdUntilMs === null) {
      throw new SessionStateError(422, 'unprocessable_entity', 'Only a payment authorized under manual capture can be captured');
    }
    const value = amount ?? payment.amount;
    if (!Number.isSafeInteger(value) || value <= 0 || value > payment.amount) {
      throw new SessionStateError(422, 'unprocessable_entity', `The capture amount must be between 1 and ${payment.amount}`);
    }
    payment.amount = value;
    payment.total = value;
    stored.holdUntilMs = null;
    this.setPaymentStatus(stored, 'captured', 'payment.captured', null);
  }

  /** The merchant cancels a pending or authorized payment (`POST /payments/{id}/cancel`). */
  cancelPayment(stored: StoredSession): void {
    const status = stored.session.payment?.status;
    if (status !== 'pending' && status !== 'authorized') throw new SessionStateError(422, 'unprocessable_entity', 'Only a pending or authorized payment can be cancelled');
    stored.holdUntilMs = null;
    this.setPaymentStatus(stored, 'cancelled', 'payment.cancelled', 'the merchant cancelled the payment');
  }

  /** The customer's attempt fails (`payment.failed`); the session stays pending for a retry. */
  fail(stored: StoredSession, paymentType?: string): void {
    this.assertPending(stored);
    stored.session.payment = this.payment(stored, 'failed', this.offeredType(stored.session, paymentType));
    this.emitPayment('payment.failed', stored, "the customer's payment attempt failed");
  }

  /**
   * A refund of a captured payment (`POST /payments/{id}/refund`): any amount, the whole rest
   * without one. A partial refund leaves the payment `captured` (`payment.refund.created`); the
   * refund that makes it whole makes it `refunded` (`payment.refunded`).
   */
  refund(stored: StoredSession, amount?: number, description?: string): void {
    const payment = stored.session.payment;
    if (!payment || payment.status !== 'captured') throw new SessionStateError(422, 'unprocessable_entity', 'Only a captured payment can be refunded');
    const rest = payment.amount - payment.amount_refunded;
    const value = amount ?? rest;
    if (!Number.isSafeInteger(value) || value <= 0 || value > rest) throw new SessionStateError(422, 'unprocessable_entity', `The refund amount must be between 1 and ${rest}`);
    payment.amount_refunded += value;
    const refund = { id: `rf${payment.refunds.length + 1}_${payment.id}`, amount: value, currency: payment.currency, description: description ?? null, created_at: this.clock.now().toISOString() };
    payment.refunds = [...payment.refunds, refund];
    if (payment.amount_refunded === payment.amount) this.setPaymentStatus(stored, 'refunded', 'payment.refunded', null);
    else this.emitPayment('payment.refund.created', stored, null);
  }

  /** Only a pending session can be cancelled (Session endpoints); a completed one is refused. */
  cancelSession(stored: StoredSession): KomojuSession {
    const { session } = stored;
    if (session.status === 'completed') throw new SessionStateError(422, 'unprocessable_entity', 'A completed session cannot be cancelled');
    if (session.status === 'cancelled') return session;
    session.status = 'cancelled';
    session.cancelled_at = this.clock.now().toISOString();
    return session;
  }

  /** Moves the deadline to now: a reservation expires (`payment.expired`), else the session. */
  expireNow(stored: StoredSession): void {
    const payment = stored.session.payment;
    if (payment?.status === 'authorized' && payment.payment_deadline) payment.payment_deadline = this.clock.now().toISOString();
    else if (payment?.status === 'authorized' && stored.holdUntilMs !== null) stored.holdUntilMs = this.clock.now().getTime();
    else stored.expiresAtMs = this.clock.now().getTime();
    this.expireDue();
  }

  /**
   * Sessions past their time become `expired: true` (status stays `pending`, no webhook: there is
   * no payment); reservations past `payment_deadline` become `expired` (`payment.expired`).
   */
  expireDue(): void {
    const now = this.clock.now().getTime();
    for (const stored of this.sessions.values()) {
      const { session } = stored;
      if (session.status === 'pending' && !session.expired && stored.expiresAtMs <= now) session.expired = true;
      const payment = session.payment;
      if (payment?.status === 'authorized' && payment.payment_deadline && Date.parse(payment.payment_deadline) <= now) {
        this.setPaymentStatus(stored, 'expired', 'payment.expired', 'the payment deadline passed');
      }
      if (payment?.status === 'authorized' && stored.holdUntilMs !== null && stored.holdUntilMs <= now) {
        stored.holdUntilMs = null;
        this.setPaymentStatus(stored, 'expired', 'payment.expired', 'the authorization lapsed uncaptured');
      }
    }
  }

  private setPaymentStatus(stored: StoredSession, status: KomojuPaymentStatus, event: string, reason: string | null): void {
    const payment = stored.session.payment!;
    payment.status = status;
    if (status === 'captured') payment.captured_at = this.clock.now().toISOString();
    this.emitPayment(event, stored, reason);
  }

  /**
   * NOT IN PUBLIC DOCS: when the `customer.*` events come. Choice: on completion, a new customer
   * sends `customer.created` and then `customer.updated` (it is now usable); an existing one
   * `customer.updated`. Customer objects name no session.
   */
  private saveCustomer(stored: StoredSession): void {
    const id = stored.session.customer_id!;
    const existing = this.customers.get(id);
    const customer = existing ?? newCustomer(stored, id, this.clock.now());
    customer.metadata = { ...stored.session.metadata };
    if (stored.session.email) customer.email = stored.session.email;
    this.customers.set(id, customer);
    if (!existing) this.emit('customer.created', structuredClone(customer), stored.session.id);
    this.emit('customer.updated', structuredClone(customer), stored.session.id);
  }

  private assertPending(stored: StoredSession): void {
    const { session } = stored;
    if (session.status !== 'pending') throw new SessionStateError(409, 'unprocessable_entity', `This session is ${session.status}`);
    if (session.expired) throw new SessionStateError(409, 'unprocessable_entity', 'This session has expired');
  }

  private offeredType(session: KomojuSession, paymentType?: string): string {
    const offered = session.payment_methods.map((method) => method.type);
    if (paymentType === undefined) return offered[0];
    if (!offered.includes(paymentType)) throw new SessionStateError(409, 'unprocessable_entity', `${paymentType} is not offered by this session`);
    return paymentType;
  }

  private payment(stored: StoredSession, status: KomojuPaymentStatus, type: string | null) {
    return newPayment(stored, status, type, this.clock.now(), this.paymentDeadlineMs, this.charge());
  }

  private emitPayment(type: string, stored: StoredSession, reason: string | null): void {
    this.emit(type, structuredClone(stored.session.payment!), stored.session.id, reason);
  }
}
