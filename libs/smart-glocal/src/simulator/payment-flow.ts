import type { Clock } from '@paymux/payments';
import { KeyObject, randomBytes } from 'node:crypto';
import type { CallbackDispatcher } from '@paymux/simulator-kit';
import { generateRsaKeyPair, loadPrivateKey, signBody } from '../signature';
import {
  ACTION_DEADLINE_MINUTES,
  AcquiringPayment,
  AmountDetails,
  BankCard,
  CONFIRM_DEADLINE_MINUTES,
  Customer,
  HEADERS,
  Metadata,
  Notification,
  NOTIFICATION_TYPES,
  NotificationType,
  PaymentFailure,
  PaymentOptions,
  Refund,
  Session,
} from '../types';
import type { Account } from './account';
import { CardOutcome, cardOutcome, maskCard, THREE_DS_FAILED } from './cards';

/** What create / start / init sent: the PaymentSession itself shows none of it (docs: objects). */
export interface SessionRequest {
  amount_details?: AmountDetails;
  customer?: Customer;
  payment_options?: PaymentOptions;
  metadata?: Metadata;
}

/** Where a payment was started: the widget runs 3-D Secure before confirmation, card data after it. */
export type PaymentChannel = 'widget' | 'api';

interface PaymentPlan {
  outcome: CardOutcome;
  channel: PaymentChannel;
  threeDsDone: boolean;
  confirmed: boolean;
  captured: boolean;
  errorShown: boolean;
}

export const THREE_DS_PATH = '/3ds';
export const CONFIRMATION_TIMEOUT: PaymentFailure = { code: 'confirmation_timeout', description: `not confirmed within ${CONFIRM_DEADLINE_MINUTES} minutes` };
export const ACTION_TIMEOUT: PaymentFailure = { code: 'action_timeout', description: `the buyer did not act within ${ACTION_DEADLINE_MINUTES} minutes` };
export const CANCELLED_BY_PARTNER: PaymentFailure = { code: 'cancelled', description: 'cancelled by the partner' };
/** The default hold of delayed capture (`/docs/payments/payment-capture`); then the money is released. */
export const HOLD_DAYS = 5;
export const HOLD_RELEASED: PaymentFailure = { code: 'hold_released', description: 'not captured before the hold ended: the money was released' };
const ENDED_BY_DEADLINE_OR_PARTNER: readonly PaymentFailure[] = [CONFIRMATION_TIMEOUT, ACTION_TIMEOUT, CANCELLED_BY_PARTNER, HOLD_RELEASED];
export const SESSION_ERROR = { code: 'internal_error', description: 'unexpected error: wait for a final status' };

/**
 * The simulated sessions and how their payments move (providers/smart-glocal.md, "Payment
 * flows"): started → (widget: 3-D Secure) → `ready_to_confirm` → `session/confirm` → (card data:
 * 3-D Secure) → (hold: `ready_to_capture` → `session/capture`) → `payment_finished`. Unconfirmed
 * operations end cancelled after 240 minutes of the clock, unanswered 3-D Secure after 60.
 */
export class PaymentFlow {
  readonly sessions = new Map<string, Session>();
  readonly requests = new Map<string, SessionRequest>();
  private readonly paymentSessions = new Map<string, string>();
  private readonly plans = new Map<string, PaymentPlan>();
  private readonly deadlines = new Map<string, { at: number; failure: PaymentFailure }>();
  private readonly processing = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private wrongKey: KeyObject | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly account: Account,
    private readonly dispatcher: CallbackDispatcher,
    private readonly signingKey: KeyObject,
    private readonly notificationUrl: () => ((session: Session) => string | null) | string | undefined,
    /** false: payments wait after start until a test helper moves them. */
    private readonly autoProcess: boolean,
  ) {}

  newSession(request: SessionRequest): Session {
    const now = this.nowIso();
    const session: Session = { id: `ps_${randomBytes(8).toString('hex')}`, status: 'created', created_at: now, updated_at: now, acquiring_payments: [] };
    this.sessions.set(session.id, session);
    this.requests.set(session.id, { ...request });
    return session;
  }

  startPayment(session: Session, card: BankCard, channel: PaymentChannel, baseUrl: string, outcome = cardOutcome(card), moveOn = this.autoProcess): AcquiringPayment {
    const request = this.requests.get(session.id)!;
    const asked = request.amount_details!;
    const knobs = this.account.current;
    const payment: AcquiringPayment = {
      id: `pm_${randomBytes(8).toString('hex')}`,
      status: 'in_progress',
      created_at: this.nowIso(),
      customer: request.customer ?? { reference: 'unknown' },
      payment_details: maskCard(card),
      amount_details: { amount: asked.amount + knobs.chargedAmountOffset, currency: knobs.chargedCurrency ?? asked.currency },
      ...(request.payment_options ? { payment_options: request.payment_options } : {}),
      ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
    };
    session.status = 'in_progress';
    session.acquiring_payments.push(payment);
    session.updated_at = payment.created_at;
    this.paymentSessions.set(payment.id, session.id);
    this.plans.set(payment.id, { outcome, channel, threeDsDone: false, confirmed: false, captured: false, errorShown: false });
    this.baseUrls.set(payment.id, baseUrl);
    if (moveOn) this.schedule(() => this.step(payment.id));
    return payment;
  }

  private readonly baseUrls = new Map<string, string>();

  /** Moves a payment on to whatever it waits for next. */
  step(paymentId: string): void {
    const { payment, session } = this.requirePayment(paymentId);
    const plan = this.plans.get(paymentId);
    if (!plan || payment.status === 'succeeded' || payment.status === 'failed') return;
    if (plan.outcome.kind === '3ds' && !plan.threeDsDone && plan.channel === 'widget') return this.askFor3ds(session, payment);
    if (!plan.confirmed && !this.account.current.autoConfirmation) {
      return this.waitFor(session, payment, 'confirm', NOTIFICATION_TYPES.readyToConfirm, CONFIRM_DEADLINE_MINUTES, CONFIRMATION_TIMEOUT);
    }
    plan.confirmed = true;
    if (plan.outcome.kind === '3ds' && !plan.threeDsDone) return this.askFor3ds(session, payment);
    if (this.account.current.delayedCapture && !plan.captured) {
      return this.waitFor(session, payment, 'capture', NOTIFICATION_TYPES.readyToCapture, this.account.current.holdMinutes, HOLD_RELEASED);
    }
    this.finish(paymentId, plan.outcome.kind === 'fail' ? plan.outcome : { kind: 'succeed' });
  }

  /** `session/confirm` / `session/capture`: null when taken, else why not. */
  answer(session: Session, action: 'confirm' | 'capture'): string | null {
    if (session.next_action !== action) return `the session does not wait for ${action}`;
    const payment = session.acquiring_payments.find((p) => p.status === 'pending')!;
    const plan = this.plans.get(payment.id)!;
    if (action === 'confirm') plan.confirmed = true;
    else plan.captured = true;
    delete session.next_action;
    this.deadlines.delete(payment.id);
    payment.status = 'in_progress';
    session.updated_at = this.nowIso();
    this.schedule(() => this.step(payment.id));
    return null;
  }

  /** `session/cancel`: a `created` session, or one waiting for confirm / capture. Null when done. */
  cancel(session: Session): string | null {
    if (session.status === 'created') {
      session.status = 'cancelled';
      session.updated_at = this.nowIso();
      return null;
    }
    if (!session.next_action) return `the session is ${session.status} and waits for no partner call`;
    const payment = session.acquiring_payments.find((p) => p.status === 'pending')!;
    this.finish(payment.id, { kind: 'fail', failure: CANCELLED_BY_PARTNER });
    return null;
  }

  /** The buyer passes or fails 3-D Secure. */
  complete3ds(paymentId: string, pass: boolean): void {
    const { payment } = this.requirePayment(paymentId);
    const plan = this.plans.get(paymentId);
    if (!plan || payment.status !== 'pending' || !payment.customer_interaction) throw new Error(`payment ${paymentId} is not waiting for 3-D Secure`);
    plan.threeDsDone = true;
    delete payment.customer_interaction;
    this.deadlines.delete(paymentId);
    payment.status = 'in_progress';
    if (!pass) return this.finish(paymentId, { kind: 'fail', failure: THREE_DS_FAILED });
    this.schedule(() => this.step(paymentId));
  }

  /** The final status (after `error`, when that knob is on), then `payment_finished`. */
  finish(paymentId: string, outcome: Exclude<CardOutcome, { kind: '3ds' }>): void {
    const { payment, session } = this.requirePayment(paymentId);
    if (payment.status === 'succeeded' || payment.status === 'failed') return;
    const plan = this.plans.get(paymentId);
    const now = this.nowIso();
    delete payment.customer_interaction;
    delete session.next_action;
    this.deadlines.delete(paymentId);
    if (plan && this.account.current.errorFirst && !plan.errorShown && !(outcome.kind === 'fail' && ENDED_BY_DEADLINE_OR_PARTNER.includes(outcome.failure))) {
      plan.errorShown = true;
      session.status = 'error';
      session.error = SESSION_ERROR;
      payment.status = 'failed';
      payment.error = SESSION_ERROR;
      session.updated_at = now;
      this.notify(session, NOTIFICATION_TYPES.paymentFinished);
      this.schedule(() => {
        payment.status = 'in_progress';
        delete payment.error;
        delete session.error;
        this.finish(paymentId, outcome);
      }, this.account.current.errorForMs);
      return;
    }
    payment.finished_at = now;
    if (outcome.kind === 'fail') {
      payment.status = 'failed';
      payment.error = outcome.failure;
      session.status = 'cancelled';
    } else {
      payment.status = 'succeeded';
      payment.transaction_info = { rrn: randomBytes(6).toString('hex'), auth_code: randomBytes(3).toString('hex').toUpperCase() };
      session.status = 'accepted';
    }
    session.updated_at = now;
    this.plans.delete(paymentId);
    this.notify(session, NOTIFICATION_TYPES.paymentFinished);
  }

  /**
   * A refund (or a chargeback) of a succeeded payment (Refunds and chargebacks): the payment stays
   * `succeeded` and the session `accepted`; the refund shows in `refunds[]` and a
   * `payment_refunded` notification is sent. Partial when `amount` is given.
   */
  refund(paymentId: string, options: { amount?: number; chargeback?: boolean } = {}): Refund {
    const { payment, session } = this.requirePayment(paymentId);
    if (payment.status !== 'succeeded') throw new Error(`payment ${paymentId} is ${payment.status}, not succeeded`);
    const now = this.nowIso();
    const refund: Refund = {
      id: `rf_${randomBytes(8).toString('hex')}`,
      status: 'accepted',
      created_at: now,
      finished_at: now,
      is_chargeback: options.chargeback ?? false,
      amount_details: { amount: options.amount ?? payment.amount_details.amount, currency: payment.amount_details.currency },
    };
    payment.refunds = [...(payment.refunds ?? []), refund];
    session.updated_at = now;
    this.notify(session, NOTIFICATION_TYPES.paymentRefunded);
    return structuredClone(refund);
  }

  /** Ends what waited past its deadline on the simulator's clock (checked on every request and by a timer). */
  enforceDeadlines(): void {
    const now = this.clock.now().getTime();
    for (const [paymentId, deadline] of [...this.deadlines]) {
      if (deadline.at <= now) this.finish(paymentId, { kind: 'fail', failure: deadline.failure });
    }
  }

  notify(session: Session, type: NotificationType | string): void {
    const target = this.notificationUrl();
    const url = typeof target === 'function' ? target(structuredClone(session)) : target;
    if (!url) return;
    const notification: Notification = { type, session: structuredClone(session) };
    const body = Buffer.from(JSON.stringify(notification), 'utf8');
    this.dispatcher.send({
      url,
      body,
      headers: { [HEADERS.sign]: signBody(body, this.signingKey) },
      signWrong: () => ({ [HEADERS.sign]: signBody(body, (this.wrongKey ??= loadPrivateKey(generateRsaKeyPair().privateKeyPem))) }),
      group: session.id,
    });
  }

  sign(body: Buffer): string {
    return signBody(body, this.signingKey);
  }

  findPayment(paymentId: string): { payment: AcquiringPayment; session: Session } | null {
    const sessionId = this.paymentSessions.get(paymentId);
    const session = sessionId ? this.sessions.get(sessionId) : undefined;
    const payment = session?.acquiring_payments.find((p) => p.id === paymentId);
    return session && payment ? { payment, session } : null;
  }

  requirePayment(paymentId: string): { payment: AcquiringPayment; session: Session } {
    const found = this.findPayment(paymentId);
    if (!found) throw new Error(`no payment ${paymentId}`);
    return found;
  }

  /** Runs `work` after the current answer has gone out, tracked so `idle()` can wait for it. */
  schedule(work: () => void, delayMs = 0): void {
    let timer: NodeJS.Timeout;
    const done = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.timers.delete(timer);
        try {
          work();
        } finally {
          resolve();
        }
      }, delayMs);
      this.timers.add(timer);
    });
    this.processing.add(done);
    void done.then(() => this.processing.delete(done));
  }

  async idle(): Promise<void> {
    while (this.processing.size > 0) await Promise.all([...this.processing]);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private askFor3ds(session: Session, payment: AcquiringPayment): void {
    const base = `${this.baseUrls.get(payment.id) ?? ''}${THREE_DS_PATH}/${payment.id}`;
    payment.status = 'pending';
    payment.customer_interaction = {
      type: 'redirect',
      redirect: { url: `${base}?session=${session.id}`, base_url: base, method: 'POST', qs: { session: session.id }, params: { PaReq: randomBytes(12).toString('base64url'), MD: payment.id } },
    };
    this.deadlines.set(payment.id, { at: this.clock.now().getTime() + ACTION_DEADLINE_MINUTES * 60_000, failure: ACTION_TIMEOUT });
    session.updated_at = this.nowIso();
    this.notify(session, NOTIFICATION_TYPES.actionRequired);
  }

  private waitFor(session: Session, payment: AcquiringPayment, action: 'confirm' | 'capture', type: NotificationType, minutes: number, failure: PaymentFailure): void {
    payment.status = 'pending';
    session.next_action = action;
    session.updated_at = this.nowIso();
    this.deadlines.set(payment.id, { at: this.clock.now().getTime() + minutes * 60_000, failure });
    this.notify(session, type);
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }
}
