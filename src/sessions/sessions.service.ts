import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Conflict, describeAmount, findAmountMismatch, InvalidRequest, isTerminal, NotFound, PaymentProvider, PROVIDER_REGISTRY, ProviderError,
  ProviderRegistry, ProviderSessionRef, ProviderStatusReport, ReportedAmount, SessionStatus, TransitionSource,
  UnifiedSessionRequest,
} from '@paymux/payments';
import { Clock } from '../clock';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Customer } from '../customers/customer.entity';
import { Metrics } from '../health/metrics';
import { pageLimit, toList } from '../http/pagination';
import { Outbox } from '../notifications/outbox';
import { renderCustomer } from '../customers/customers.service';
import { Product } from '../products/product.entity';
import { describeAttempts, ProviderRouter } from '../routing/provider-router';
import { RoutingMetrics } from '../routing/routing-metrics';
import { acceptsRequest, providerIdempotencyKey, sessionRequestBuilder, toUnifiedCustomer } from './session-request';
import { CreateSessionDto, InlineCustomerDto } from './dto/create-session.dto';
import { ListSessionsQuery } from './dto/session.view';
import { isCapturedPart, statusForHold } from './hold-rules';
import { SessionEvent } from './session-event.entity';
import { SessionTransitions, TransitionOutcome } from './session-transitions';
import { renderSession, renderSessionEvent } from './session-view';
import { Session } from './session.entity';

export interface CreateContext {
  apiKeyId: string | null;
  idempotencyKey: string | null;
  /** A session the same Idempotency-Key stored before its request died: resumed, not duplicated. */
  resumeSessionId?: string | null;
  /** Told the new session's id before it is stored (so a crash at any point leaves it findable). */
  sessionIdChosen?: (sessionId: string) => Promise<void>;
}

/**
 * The payments facade: validates a session request, routes it to a provider, stores it, and
 * applies what providers report. Knows providers only through the PaymentProvider contract.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('sessions');

  constructor(
    private readonly em: EntityManager,
    private readonly transitions: SessionTransitions,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly router: ProviderRouter,
    private readonly providerMetrics: RoutingMetrics,
  ) {}

  async create(input: CreateSessionDto, context: CreateContext): Promise<Session> {
    const em = this.em.fork();
    const resumed = context.resumeSessionId ? await em.findOne(Session, { id: context.resumeSessionId }) : null;
    // Created at the provider already, or failed since (the expiry pass fails orphans): answer it as it is.
    if (resumed && (resumed.providerSessionId !== null || resumed.status !== 'open')) return resumed;
    const mode = input.mode ?? 'payment';
    const purchase = await this.resolvePurchase(em, input, mode);
    const customer = await this.resolveCustomer(em, input);
    if (mode !== 'payment' && !customer) {
      // The provider's customer id is kept on the paymux customer: without one it would be lost.
      throw new InvalidRequest('customer', `${mode} mode needs a customer (customer_id or customer)`, 'parameter_missing');
    }
    if (input.default_payment_method !== undefined && input.payment_methods !== undefined && !input.payment_methods.includes(input.default_payment_method)) {
      throw new InvalidRequest('default_payment_method', 'default_payment_method must be one of payment_methods');
    }
    if (this.config.production) {
      for (const param of ['return_url', 'cancel_url', 'callback_url'] as const) {
        const url = input[param];
        if (url !== undefined && !url.startsWith('https://')) throw new InvalidRequest(param, `${param} must use https in production`);
      }
    }
    const session = resumed ?? new Session();
    if (!resumed && context.resumeSessionId) session.id = context.resumeSessionId;
    const plan = this.router.plan(input.provider ?? null, {
      mode,
      amount: purchase.amount,
      currency: purchase.currency,
      locale: input.locale ?? null,
      paymentMethods: input.payment_methods ?? null,
      defaultPaymentMethod: input.default_payment_method ?? null,
      expiresInSeconds: input.expires_in_seconds ?? null,
      captureMethod: input.capture ?? 'automatic',
    }, session.id);
    const requestFor = sessionRequestBuilder({
      sessionId: session.id, mode, input, purchase, customer, publicUrl: this.config.publicUrl,
      idempotencyKey: providerIdempotencyKey(context, session.id),
    });
    // The first candidate's own checks answer 400 as they always did; a fallback that refuses the
    // request is just not a fallback for it.
    const [primary, ...fallbacks] = plan.candidates;
    primary.validateRequest(requestFor(primary));
    // Payment details (e.g. card data) may have been charged by a call that timed out: never sent twice.
    plan.candidates = input.payment_details !== undefined ? [primary] : [primary, ...fallbacks.filter((provider) => acceptsRequest(provider, requestFor(provider)))];
    const request = requestFor(primary);

    const now = this.clock.now();
    const storedCustomer = customer ? await this.saveCustomer(customer) : null;
    if (!resumed) await context.sessionIdChosen?.(session.id);
    if (!resumed) Object.assign(session, {
      provider: primary.name,
      mode,
      status: 'open',
      amount: purchase.amount,
      currency: purchase.currency,
      captureMethod: input.capture ?? 'automatic',
      description: purchase.description,
      productId: purchase.product?.id ?? null,
      customerId: storedCustomer?.id ?? null,
      orderId: request.orderId,
      returnUrl: request.returnUrl,
      cancelUrl: request.cancelUrl,
      callbackUrl: input.callback_url ?? null,
      paymentMethods: request.paymentMethods ? [...request.paymentMethods] : null,
      defaultPaymentMethod: request.defaultPaymentMethod,
      locale: request.locale,
      expiresAt: new Date(now.getTime() + request.expiresInSeconds * 1000),
      metadata: request.metadata,
      createdAt: now,
      updatedAt: now,
    });
    if (!resumed) await em.transactional(async (tx) => {
      tx.persist(session);
      tx.persist(Object.assign(new SessionEvent(), { sessionId: session.id, fromStatus: null, toStatus: 'open', source: 'api', createdAt: now }));
    });

    const withStoredCustomer = (provider: PaymentProvider): UnifiedSessionRequest => {
      const unified = requestFor(provider);
      return storedCustomer ? { ...unified, customer: toUnifiedCustomer(storedCustomer) } : unified;
    };
    const outcome = await this.router.run(plan, withStoredCustomer, async (provider, unified) => {
      if (session.provider !== provider.name) {
        // Moved to the next provider before calling it: a crash leaves the session where it was
        // being created, and only this provider's callbacks can match it from now on.
        session.provider = provider.name;
        session.expiresAt = new Date(now.getTime() + unified.expiresInSeconds * 1000);
        await em.flush();
      }
      return provider.createSession(unified);
    }, { neutraliseTimeouts: input.payment_details === undefined });
    session.routing = outcome.record;
    const failedAttempts = outcome.record.attempts.some((attempt) => attempt.outcome !== 'created');
    if (failedAttempts) {
      await em.nativeUpdate(SessionEvent, { sessionId: session.id, toStatus: 'open' }, { note: describeAttempts(outcome.record).slice(0, 2000) });
    }
    if (outcome.ok) {
      const created = outcome.result;
      session.providerSessionId = created.providerSessionId;
      session.redirectUrl = created.redirectUrl;
      session.expiresAt = created.expiresAt;
      session.providerCustomerId = created.providerCustomerId ?? null;
      await em.flush();
      return session;
    }
    await em.flush();
    // Never leave a session open without a provider session: it could not be paid anyway.
    const error = outcome.error;
    const failure = error instanceof ProviderError
      ? { code: error.code, message: error.message, source: 'provider' }
      : { code: 'internal_error', message: 'The session could not be created at the provider', source: 'paymux' };
    const note = failedAttempts && outcome.record.attempts.length > 1 ? `creation failed at every provider; ${describeAttempts(outcome.record)}` : 'creation at the provider failed';
    await this.transitions.transition(session.id, { to: 'failed', source: 'api', failure, note: note.slice(0, 2000) });
    throw error;
  }

  async get(id: string): Promise<Session> {
    const session = await this.em.fork().findOne(Session, { id });
    if (!session) throw new NotFound('session', id);
    return session;
  }

  async list(query: ListSessionsQuery) {
    const limit = pageLimit(query);
    const where: Record<string, unknown> = {};
    if (query.status !== undefined) where.status = query.status;
    if (query.provider !== undefined) where.provider = query.provider;
    if (query.order_id !== undefined) where.orderId = query.order_id;
    if (query.customer_id !== undefined) where.customerId = query.customer_id;
    const created: Record<string, Date> = {};
    if (query.created_gte !== undefined) created.$gte = new Date(query.created_gte);
    if (query.created_lt !== undefined) created.$lt = new Date(query.created_lt);
    if (Object.keys(created).length > 0) where.createdAt = created;
    if (query.starting_after !== undefined) where.id = { $lt: query.starting_after };
    const rows = await this.em.fork().find(Session, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toList(rows, limit, renderSession);
  }

  async events(id: string) {
    const em = this.em.fork();
    if ((await em.count(Session, { id })) === 0) throw new NotFound('session', id);
    const rows = await em.find(SessionEvent, { sessionId: id }, { orderBy: { id: 'asc' } });
    return { object: 'list' as const, data: rows.map(renderSessionEvent), has_more: false };
  }

  /**
   * Cancels at the provider when it has a cancel call; otherwise only here (Spayon keeps its
   * page payable until its own expiry, so a later payment still arrives and is marked late).
   */
  async cancel(id: string, source: TransitionSource = 'api'): Promise<Session> {
    const session = await this.get(id);
    if (isTerminal(session.status)) throw illegalChange(session, 'cancelled');
    const provider = this.registry.get(session.provider);
    if (provider.capabilities.cancel && provider.cancelSession && session.providerSessionId) {
      try {
        await this.providerMetrics.observe(provider.name, 'cancel_session', () => provider.cancelSession!(providerRef(session)));
      } catch (error) {
        // The provider may refuse because the session already finished there (paid before its
        // callback reached us): learn the real status, and answer 409 if it is final.
        if (!(error instanceof ProviderError) || error.timedOut) throw error;
        const report = await provider.fetchStatus(providerRef(session));
        const { session: current } = await this.applyReport(session.id, report, source);
        if (isTerminal(current.status)) throw illegalChange(current, 'cancelled');
        throw error;
      }
    }
    const result = await this.transitions.transition(id, { to: 'cancelled', source });
    if (result.outcome === 'illegal') throw illegalChange(result.session, 'cancelled');
    return result.session;
  }

  /** Asks the provider for the status now and applies it. */
  async sync(id: string, source: TransitionSource = 'sync'): Promise<Session> {
    const session = await this.get(id);
    if (!session.providerSessionId) return session;
    const provider = this.registry.get(session.provider);
    const report = await this.providerMetrics.observe(provider.name, 'fetch_status', () => provider.fetchStatus(providerRef(session)));
    return (await this.applyReport(session.id, report, source)).session;
  }

  /**
   * Applies a provider's view of a session: links a provider customer when one is reported,
   * records the contact, checks the amount the provider states, and moves the status through
   * the state machine.
   */
  async applyReport(sessionId: string, report: ProviderStatusReport, source: TransitionSource, em?: EntityManager): Promise<{ outcome: TransitionOutcome; session: Session }> {
    return this.transitions.inTransaction(async (tx) => {
      const session = await this.transitions.lock(tx, sessionId);
      session.lastProviderUpdateAt = this.clock.now();
      if (report.payableUntil && !isTerminal(session.status) && report.payableUntil > session.expiresAt) session.expiresAt = report.payableUntil;
      if (report.providerCustomerId && session.customerId) await this.linkProviderCustomer(tx, session, report.providerCustomerId);
      const mismatch = isCapturedPart(session, report, this.partialCapture(session)) ? null : findAmountMismatch(session, report.amount);
      const result = mismatch
        ? await this.applyAmountMismatch(tx, session, report, source, mismatch)
        : await this.applyStatus(tx, session, report, source);
      await tx.flush();
      return result;
    }, em);
  }

  private async applyStatus(tx: EntityManager, session: Session, report: ProviderStatusReport, source: TransitionSource) {
    const to = statusForHold(session, report);
    if (to === 'open' || to === null) {
      session.providerStatus = report.providerStatus;
      return { outcome: 'unchanged' as const, session };
    }
    return this.transitions.applyLocked(tx, session, {
      to,
      source,
      providerStatus: report.providerStatus,
      failure: report.failure ?? null,
      hold: to === 'requires_capture' ? report.hold ?? null : null,
      capturedAmount: to === 'succeeded' && isCapturedPart(session, report, this.partialCapture(session)) ? report.amount!.amount : undefined,
    }, { flush: false });
  }

  /** The session's provider captures part of a hold (KOMOJU); else only the whole amount is a capture. */
  private partialCapture(session: Session): boolean {
    return this.registry.has(session.provider) && this.registry.get(session.provider).capabilities.manualCapture?.partial === true;
  }

  /**
   * A report whose amount or currency differs from the session's is never a silent success.
   * A report of money moving (open, processing, succeeded) fails an open or processing session
   * with `amount_mismatch` and leaves a final one as it is (a late payment of the wrong amount
   * never makes it `succeeded`); a report of no money moving (failed, expired, cancelled) applies
   * as it is. Either way the session keeps what the provider reported in `amount_mismatch`, and
   * when its status does not change the merchant hears of it by `session.amount_mismatch`.
   */
  private async applyAmountMismatch(
    tx: EntityManager, session: Session, report: ProviderStatusReport, source: TransitionSource, reported: ReportedAmount,
  ): Promise<{ outcome: TransitionOutcome; session: Session }> {
    const firstReport = session.amountMismatch === null;
    const expected = describeAmount(session.amount!, session.currency!);
    const stated = describeAmount(reported.amount, reported.currency);
    if (firstReport) {
      session.amountMismatch = { amount: reported.amount, currency: reported.currency.toUpperCase(), reportedAt: this.clock.now().toISOString() };
      this.metrics.amountMismatches.inc({ provider: session.provider });
      this.logger.warn(
        { sessionId: session.id, provider: session.provider, providerStatus: report.providerStatus, expected, reported: stated, source },
        'provider reported an amount that differs from the session',
      );
    }
    const moneyMoving: readonly SessionStatus[] = ['open', 'processing', 'succeeded'];
    if (moneyMoving.includes(report.status) && isTerminal(session.status)) return this.notifyMismatch(tx, session, firstReport);
    if (moneyMoving.includes(report.status)) {
      return this.transitions.applyLocked(tx, session, {
        to: 'failed',
        source,
        providerStatus: report.providerStatus,
        failure: {
          code: 'amount_mismatch',
          message: `${session.provider} reported ${stated} (status ${report.providerStatus}) for a session of ${expected}`,
          source: 'paymux',
        },
        note: `amount_mismatch: ${session.provider} reported ${stated}, the session is ${expected}`,
      }, { flush: false });
    }
    const result = await this.applyStatus(tx, session, report, source);
    return result.outcome === 'applied' ? result : this.notifyMismatch(tx, session, firstReport);
  }

  /** The status stays; the merchant hears of the mismatch once, by `session.amount_mismatch`. */
  private async notifyMismatch(tx: EntityManager, session: Session, firstReport: boolean): Promise<{ outcome: TransitionOutcome; session: Session }> {
    if (!firstReport) return { outcome: 'unchanged', session };
    session.updatedAt = this.clock.now();
    await this.outbox.record(tx, 'session.amount_mismatch', { sessionId: session.id, customerId: session.customerId, callbackUrl: session.callbackUrl }, renderSession(session));
    return { outcome: 'applied', session };
  }

  private async linkProviderCustomer(em: EntityManager, session: Session, providerCustomerId: string): Promise<void> {
    const customer = await em.findOne(Customer, { id: session.customerId! });
    if (!customer || customer.providerCustomers[session.provider] === providerCustomerId) return;
    customer.providerCustomers = { ...customer.providerCustomers, [session.provider]: providerCustomerId };
    customer.updatedAt = this.clock.now();
    await this.outbox.record(em, 'customer.updated', { customerId: customer.id, sessionId: session.id, callbackUrl: session.callbackUrl }, renderCustomer(customer));
  }

  private async resolvePurchase(em: EntityManager, input: CreateSessionDto, mode: string) {
    if (input.product_id !== undefined) {
      for (const param of ['amount', 'currency', 'description'] as const) {
        if (input[param] !== undefined) throw new InvalidRequest(param, `${param} cannot be combined with product_id`);
      }
      const product = await em.findOne(Product, { id: input.product_id });
      if (!product) throw new InvalidRequest('product_id', `No such product: ${input.product_id}`, 'resource_missing');
      if (!product.active) throw new InvalidRequest('product_id', `Product ${product.id} is archived and cannot start a session`, 'product_inactive');
      return { product, amount: product.amount as number | null, currency: product.currency as string | null, description: product.name as string | null };
    }
    if (mode === 'customer') {
      for (const param of ['amount', 'currency'] as const) {
        if (input[param] !== undefined) throw new InvalidRequest(param, `${param} is not allowed in customer mode (no payment is taken)`);
      }
      return { product: null, amount: null, currency: null, description: input.description ?? null };
    }
    if (input.amount === undefined) throw new InvalidRequest('amount', 'amount is required (with currency) when there is no product_id', 'parameter_missing');
    if (input.currency === undefined) throw new InvalidRequest('currency', 'currency is required (with amount) when there is no product_id', 'parameter_missing');
    return { product: null, amount: input.amount as number | null, currency: input.currency as string | null, description: input.description ?? null };
  }

  /** The session's customer, not yet saved: validation must pass before anything is written. */
  private async resolveCustomer(em: EntityManager, input: CreateSessionDto): Promise<Customer | null> {
    if (input.customer_id !== undefined && input.customer !== undefined) {
      throw new InvalidRequest('customer', 'customer cannot be combined with customer_id');
    }
    if (input.customer_id !== undefined) {
      const existing = await em.findOne(Customer, { id: input.customer_id });
      if (!existing) throw new InvalidRequest('customer_id', `No such customer: ${input.customer_id}`, 'resource_missing');
      return existing;
    }
    if (input.customer === undefined) return null;
    const existing = input.customer.reference ? await em.findOne(Customer, { reference: input.customer.reference }) : null;
    return applyInlineCustomer(existing ?? new Customer(), input.customer);
  }

  /** Upserts the customer by reference; a concurrent insert of the same reference is merged. */
  private async saveCustomer(customer: Customer): Promise<Customer> {
    const em = this.em.fork();
    try {
      await em.upsert(Customer, customer, { onConflictFields: ['id'] });
      return customer;
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || !customer.reference) throw error;
      const existing = await em.findOneOrFail(Customer, { reference: customer.reference });
      applyInlineCustomer(existing, { email: customer.email ?? undefined, username: customer.username ?? undefined, full_name: customer.fullName ?? undefined });
      await em.flush();
      return existing;
    }
  }
}

function applyInlineCustomer(customer: Customer, input: InlineCustomerDto): Customer {
  if (input.reference !== undefined) customer.reference = input.reference;
  if (input.email !== undefined) customer.email = input.email;
  if (input.username !== undefined) customer.username = input.username;
  if (input.full_name !== undefined) customer.fullName = input.full_name;
  return customer;
}

export function providerRef(session: Session): ProviderSessionRef {
  return { id: session.id, providerSessionId: session.providerSessionId!, currency: session.currency, amount: session.amount, captureMethod: session.captureMethod };
}

export function illegalChange(session: Session, to: string): Conflict {
  return new Conflict('session_terminal', `Session ${session.id} is ${session.status} and cannot become ${to}`);
}
