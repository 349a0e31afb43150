import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Conflict, describeAmount, InvalidRequest, NotFound, PaymentProvider, PROVIDER_REGISTRY, ProviderError, ProviderRefundReport, ProviderRegistry,
} from '@paymux/payments';
import { Clock } from '../clock';
import { pageLimit, toList } from '../http/pagination';
import { RoutingMetrics } from '../routing/routing-metrics';
import { SessionTransitions } from '../sessions/session-transitions';
import { providerRef } from '../sessions/provider-ref';
import { Session } from '../sessions/session.entity';
import { CreateRefundDto } from './dto/create-refund.dto';
import { ListAllRefundsQuery, ListRefundsQuery } from './dto/refund.view';
import { RefundLedger, RefundSource } from './refund-ledger';
import { Refund } from './refund.entity';
import { HOLDING, refundableLeft } from './refundable';
import { renderRefund } from './refund-view';


/**
 * Refunds of paid sessions through the session's provider. The amount is checked and the refund
 * stored under the session's row lock, so concurrent refunds never add up to more than was paid;
 * the provider is called after that commit, and its answer settles the refund (a refusal fails
 * it; no answer leaves it pending for its webhook or the reconcile-refunds job).
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger('refunds');

  constructor(
    private readonly em: EntityManager,
    private readonly transitions: SessionTransitions,
    private readonly ledger: RefundLedger,
    private readonly clock: Clock,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    private readonly providerMetrics: RoutingMetrics,
  ) {}

  async create(sessionId: string, input: CreateRefundDto, source: RefundSource = 'api'): Promise<Refund> {
    const { refund, session, provider } = await this.transitions.inTransaction(async (tx) => {
      const session = await this.transitions.lock(tx, sessionId);
      const provider = this.refundingProvider(session);
      if (session.status !== 'succeeded' || session.amount === null || session.currency === null) {
        throw new Conflict('session_not_paid', `Session ${session.id} is ${session.status}: only a succeeded session can be refunded`);
      }
      const holding = await tx.find(Refund, { sessionId: session.id, status: { $in: [...HOLDING] } });
      const rest = refundableLeft(session, holding);
      if (rest <= 0) throw new Conflict('session_fully_refunded', `Session ${session.id} has nothing left to refund`);
      const amount = input.amount ?? rest;
      if (amount > rest) {
        throw new InvalidRequest('amount', `amount ${describeAmount(amount, session.currency)} exceeds what is left to refund on session ${session.id} (${describeAmount(rest, session.currency)})`, 'amount_too_large');
      }
      const now = this.clock.now();
      const refund = Object.assign(new Refund(), {
        sessionId: session.id, provider: session.provider, amount, currency: session.currency,
        reason: input.reason ?? null, metadata: input.metadata ?? {}, createdAt: now, updatedAt: now,
      });
      await this.ledger.record(tx, session, refund);
      await tx.flush();
      this.logger.log({ refundId: refund.id, sessionId: session.id, provider: session.provider, amount, currency: session.currency, source }, 'refund requested');
      return { refund, session, provider };
    });
    await this.callProvider(provider, session, refund);
    return this.get(refund.id);
  }

  /** Sends a pending refund to its provider (again: the refund id is its idempotency key) and applies the answer. */
  async callProvider(provider: PaymentProvider, session: Session, refund: Refund): Promise<void> {
    let reports: ProviderRefundReport[];
    try {
      reports = await this.providerMetrics.observe(provider.name, 'refund', () =>
        provider.refund!(providerRef(session), { refundId: refund.id, amount: refund.amount, currency: refund.currency, reason: refund.reason }));
    } catch (error) {
      if (error instanceof ProviderError && error.retryable) {
        // No answer, or one that says nothing was decided: it may have been made. Left pending.
        this.logger.warn({ refundId: refund.id, sessionId: session.id, provider: provider.name, code: error.code }, 'refund unanswered; left pending for reconciliation');
        return;
      }
      if (error instanceof ProviderError || error instanceof InvalidRequest) {
        await this.inSessionLock(session.id, async (tx, locked) => {
          const current = await tx.findOneOrFail(Refund, { id: refund.id });
          await this.ledger.settle(tx, locked, current, 'failed', { failure: { code: error.code, message: error.message } });
        });
        return;
      }
      throw error;
    }
    await this.inSessionLock(session.id, (tx, locked) => this.ledger.applyReports(tx, locked, reports, refund.id));
  }

  /**
   * Applies what the provider shows of a session's refunds (a webhook, reconciliation), in `em`'s
   * transaction when given. Answers how many refunds changed.
   */
  async applyProviderRefunds(sessionId: string, reports: readonly ProviderRefundReport[], em?: EntityManager): Promise<number> {
    return this.inSessionLock(sessionId, (tx, session) => this.ledger.applyReports(tx, session, reports), em);
  }

  async get(id: string): Promise<Refund> {
    const refund = await this.em.fork().findOne(Refund, { id });
    if (!refund) throw new NotFound('refund', id);
    return refund;
  }

  async listForSession(sessionId: string, query: ListRefundsQuery) {
    const em = this.em.fork();
    if ((await em.count(Session, { id: sessionId })) === 0) throw new NotFound('session', sessionId);
    return this.page(em, { sessionId }, query);
  }

  async list(query: ListAllRefundsQuery) {
    const where: Record<string, unknown> = {};
    if (query.status !== undefined) where.status = query.status;
    if (query.session_id !== undefined) where.sessionId = query.session_id;
    return this.page(this.em.fork(), where, query);
  }

  private async page(em: EntityManager, where: Record<string, unknown>, query: ListRefundsQuery) {
    const limit = pageLimit(query);
    const filter = query.starting_after !== undefined ? { ...where, id: { $lt: query.starting_after } } : where;
    const rows = await em.find(Refund, filter, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toList(rows, limit, renderRefund);
  }

  /** The session's provider, when it has a refund call; else a 400 naming it. */
  private refundingProvider(session: Session): PaymentProvider {
    const provider = this.registry.has(session.provider) ? this.registry.get(session.provider) : null;
    if (!provider || provider.capabilities.refunds !== true || !provider.refund) {
      throw new InvalidRequest('provider', `${session.provider} documents no refund call: session ${session.id} cannot be refunded through paymux`, 'refunds_unsupported');
    }
    return provider;
  }

  private inSessionLock<T>(sessionId: string, work: (tx: EntityManager, session: Session) => Promise<T>, em?: EntityManager): Promise<T> {
    return this.transitions.inTransaction(async (tx) => {
      const session = await this.transitions.lock(tx, sessionId);
      const result = await work(tx, session);
      await tx.flush();
      return result;
    }, em);
  }
}
