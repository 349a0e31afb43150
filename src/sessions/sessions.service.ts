import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import {
  Conflict, InvalidRequest, isTerminal, NotFound, PaymentProvider, PROVIDER_REGISTRY, ProviderError, ProviderRegistry, TransitionSource,
  UnifiedSessionRequest,
} from '@paymux/payments';
import { Clock } from '../clock';
import { insertEntities, writeChanges } from '../database/statements';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { SessionCustomers } from '../customers/session-customers';
import { pageLimit, toList } from '../http/pagination';
import { describeAttempts, ProviderRouter } from '../routing/provider-router';
import { RoutingMetrics } from '../routing/routing-metrics';
import { acceptsRequest, providerIdempotencyKey, sessionRequestBuilder, toUnifiedCustomer } from './session-request';
import { CreateSessionDto } from './dto/create-session.dto';
import { ListSessionsQuery } from './dto/session.view';
import { ProviderReports } from './provider-reports';
import { providerRef } from './provider-ref';
import { SessionEvent } from './session-event.entity';
import { resolvePurchase } from './session-purchase';
import { SessionMetrics } from './session-metrics';
import { SessionTransitions } from './session-transitions';
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
 * cancels or syncs it there (what providers report is applied by ProviderReports). Knows
 * providers only through the PaymentProvider contract.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly transitions: SessionTransitions,
    private readonly clock: Clock,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: ProviderRouter,
    private readonly providerMetrics: RoutingMetrics,
    private readonly customers: SessionCustomers,
    private readonly reports: ProviderReports,
    private readonly sessionMetrics: SessionMetrics,
  ) {}

  async create(input: CreateSessionDto, context: CreateContext): Promise<Session> {
    const em = this.em.fork();
    const resumed = context.resumeSessionId ? await em.findOne(Session, { id: context.resumeSessionId }) : null;
    // Created at the provider already, or failed since (the expiry pass fails orphans): answer it as it is.
    if (resumed && (resumed.providerSessionId !== null || resumed.status !== 'open')) return resumed;
    const mode = input.mode ?? 'payment';
    const purchase = await resolvePurchase(em, input, mode);
    const customer = await this.customers.resolve(em, input);
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
    const storedCustomer = customer ? await this.customers.save(customer) : null;
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
      await insertEntities(tx, [session], { tracked: true });
      await insertEntities(tx, [Object.assign(new SessionEvent(), { sessionId: session.id, fromStatus: null, toStatus: 'open', source: 'api', createdAt: now })]);
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
        await writeChanges(em, session);
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
      await writeChanges(em, session);
      this.sessionMetrics.sessionCreated(session.provider, 'open');
      return session;
    }
    await writeChanges(em, session);
    // Never leave a session open without a provider session: it could not be paid anyway.
    const error = outcome.error;
    const failure = error instanceof ProviderError
      ? { code: error.code, message: error.message, source: 'provider' }
      : { code: 'internal_error', message: 'The session could not be created at the provider', source: 'paymux' };
    const note = failedAttempts && outcome.record.attempts.length > 1 ? `creation failed at every provider; ${describeAttempts(outcome.record)}` : 'creation at the provider failed';
    await this.transitions.transition(session.id, { to: 'failed', source: 'api', failure, note: note.slice(0, 2000) });
    this.sessionMetrics.sessionCreated(session.provider, 'failed');
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
        const { session: current } = await this.reports.apply(session.id, report, source);
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
    return (await this.reports.apply(session.id, report, source)).session;
  }
}

function illegalChange(session: Session, to: string): Conflict {
  return new Conflict('session_terminal', `Session ${session.id} is ${session.status} and cannot become ${to}`);
}
