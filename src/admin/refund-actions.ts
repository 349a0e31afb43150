import type { MikroORM } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import { MoneyError, parseMajorUnits, PaymuxError, toMajorUnitString } from '@paymux/payments';
import type { ActionContext, ActionResponse, RecordJSON } from 'adminjs';
import { Refund } from '../refunds/refund.entity';
import { Session } from '../sessions/session.entity';
import { moneyText } from './money-text';
import type { ActionOptions, Handler } from './resource-kit';
import { capturedAmountOf, HOLDING, refundableLeft } from '../refunds/refundable';

/**
 * What the panel needs from the refunds module: RefundsService fits as is. The panel resolves it
 * lazily (as it does SessionsService), so the panel runs — and says refunds are unavailable —
 * while no module provides it. The panel never writes a refund itself: every refund goes through
 * this service, under the same session row lock and checks as the API's.
 */
export interface RefundCreator {
  create(sessionId: string, input: { amount?: number; reason?: string }, source: 'admin'): Promise<Refund>;
}

export interface SessionRefundDependencies {
  orm: MikroORM;
  /** null while no module provides RefundsService. */
  refunds(): RefundCreator | null;
  /** Whether the provider's capability says it refunds (Spayon: no). */
  refundsSupported(provider: string): boolean;
  /** The bundled SessionRefund component. */
  component: string;
}

const REASON_MAX = 500;

/** What a session offers to refund, as the Refund page shows it (extra params of the record). */
export interface RefundOffer {
  refundAvailable: boolean;
  /** Why not, when it is not available. */
  refundUnavailable: string | null;
  refundCurrency: string | null;
  refundPaidText: string | null;
  refundLeftText: string | null;
  /** What is left, in major units: the amount field's default. */
  refundLeftMajor: string | null;
}


const logger = new Logger('admin');

/**
 * The Session resource's "Refund" record action. A GET (the page opening) only reads: it answers
 * what the session offers to refund. A POST without `confirmed` checks the amount and answers the
 * sentence to confirm ("Refund 5,000.00 AMD of 10,000.00 AMD?"); only a POST with
 * `confirmed=true` refunds, through RefundsService.
 */
export function sessionRefundAction(deps: SessionRefundDependencies): ActionOptions {
  const handler: Handler = async (request, _response, context) => {
    const id = String(context.record!.id());
    const session = await deps.orm.em.fork().findOne(Session, { id });
    if (!session) return { record: context.record!.toJSON(context.currentAdmin), notice: { message: `No session ${id}`, type: 'error' } };
    const offer = await refundOffer(deps, session);
    const answer = async (extra: Record<string, unknown>): Promise<ActionResponse> => ({ record: await withOffer(context, deps, id), ...extra });
    if (request.method !== 'post') return answer({});
    if (!offer.refundAvailable) return answer({ notice: { message: offer.refundUnavailable!, type: 'error' } });
    const service = deps.refunds();
    if (!service) return answer({ notice: { message: 'Refunds are not available: the refunds module is not loaded', type: 'error' } });

    const form = readForm(request.payload ?? {}, session, offer);
    if ('error' in form) return answer({ notice: { message: form.error, type: 'error' } });
    const paid = moneyText(capturedAmountOf(session), session.currency!);
    if (request.payload?.confirmed !== 'true') {
      // Asked before confirming; RefundsService checks it again, under the session's lock.
      const left = parseMajorUnits(offer.refundLeftMajor!, session.currency!);
      if (form.amount > left) {
        return answer({ notice: { message: `${moneyText(form.amount, session.currency!)} is more than is left to refund on this session (${offer.refundLeftText} of ${paid})`, type: 'error' } });
      }
      return answer({ confirmation: { amount: form.amount, amountText: moneyText(form.amount, session.currency!), question: `Refund ${moneyText(form.amount, session.currency!)} of ${paid}?` } });
    }

    let refund: Refund;
    try {
      refund = await service.create(id, { amount: form.amount, ...(form.reason ? { reason: form.reason } : {}) }, 'admin');
    } catch (error) {
      if (error instanceof PaymuxError) return answer({ notice: { message: error.message, type: 'error' } });
      logger.error(`refund of session ${id} from the panel failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return answer({ notice: { message: 'The refund could not be completed because of an internal error. Check the Refunds list before trying again.', type: 'error' } });
    }
    const amount = moneyText(refund.amount, refund.currency);
    const outcome = { id: refund.id, status: refund.status, amountText: amount, failure: refund.failure?.message ?? null };
    if (refund.status === 'succeeded') return answer({ refund: outcome, notice: { message: `Refunded ${amount} (refund ${refund.id})`, type: 'success' } });
    if (refund.status === 'pending') {
      return answer({ refund: outcome, notice: { message: `Refund of ${amount} is pending at ${refund.provider}: its answer will settle it (refund ${refund.id})`, type: 'info' } });
    }
    return answer({ refund: outcome, notice: { message: `Refund of ${amount} failed at ${refund.provider}: ${refund.failure?.message ?? 'no reason given'}`, type: 'error' } });
  };
  return {
    actionType: 'record',
    icon: 'RotateCcw',
    component: deps.component,
    // Offered only where it can succeed; what is left to refund is checked by `hideWhenNothingLeft`.
    isVisible: (context) => {
      const params = context.record?.params ?? {};
      return params.status === 'succeeded' && params.amount !== null && params.amount !== undefined && deps.refundsSupported(String(params.provider));
    },
    handler,
  };
}

/** An `after` hook for the Session list and show: drops Refund from sessions with nothing left to refund. */
export function hideWhenNothingLeft(deps: Pick<SessionRefundDependencies, 'orm'>) {
  return async (response: ActionResponse): Promise<ActionResponse> => {
    const records: RecordJSON[] = [...(Array.isArray(response.records) ? response.records : []), ...(response.record ? [response.record] : [])];
    const offered = records.filter((record) => record.recordActions?.some((action) => action.name === 'refund'));
    if (offered.length === 0) return response;
    const ids = offered.map((record) => String(record.id));
    const em = deps.orm.em.fork();
    const sessions = new Map((await em.find(Session, { id: { $in: ids } })).map((session) => [session.id, session]));
    const holding = await em.find(Refund, { sessionId: { $in: ids }, status: { $in: [...HOLDING] } });
    for (const record of offered) {
      const session = sessions.get(String(record.id));
      const left = session && session.amount !== null ? refundableLeft(session, holding.filter((refund) => refund.sessionId === session.id)) : 0;
      if (left <= 0) record.recordActions = record.recordActions.filter((action) => action.name !== 'refund');
    }
    return response;
  };
}

async function refundOffer(deps: Pick<SessionRefundDependencies, 'orm' | 'refundsSupported'>, session: Session): Promise<RefundOffer> {
  const none = { refundCurrency: session.currency, refundPaidText: null, refundLeftText: null, refundLeftMajor: null };
  if (!deps.refundsSupported(session.provider)) {
    return { ...none, refundAvailable: false, refundUnavailable: `${session.provider} documents no refund call: this session cannot be refunded through paymux` };
  }
  if (session.status !== 'succeeded' || session.amount === null || session.currency === null) {
    return { ...none, refundAvailable: false, refundUnavailable: `This session is ${session.status}: only a succeeded session can be refunded` };
  }
  const holding = await deps.orm.em.fork().find(Refund, { sessionId: session.id, status: { $in: [...HOLDING] } });
  const left = refundableLeft(session, holding);
  const texts = {
    refundCurrency: session.currency,
    refundPaidText: moneyText(capturedAmountOf(session), session.currency),
    refundLeftText: moneyText(Math.max(left, 0), session.currency),
    refundLeftMajor: toMajorUnitString(Math.max(left, 0), session.currency),
  };
  if (left <= 0) return { ...texts, refundAvailable: false, refundUnavailable: 'This session has nothing left to refund' };
  return { ...texts, refundAvailable: true, refundUnavailable: null };
}

async function withOffer(context: ActionContext, deps: SessionRefundDependencies, id: string): Promise<RecordJSON | null> {
  const record = await context.resource.findOne(id);
  const session = await deps.orm.em.fork().findOne(Session, { id });
  if (!record || !session) return null;
  const json = record.toJSON(context.currentAdmin);
  return { ...json, params: { ...json.params, ...(await refundOffer(deps, session)) } };
}

/** The form: `full=true` (all that is left) or `amount` in major units of the session's currency, and an optional reason. */
function readForm(payload: Record<string, unknown>, session: Session, offer: RefundOffer): { amount: number; reason: string | null } | { error: string } {
  const currency = session.currency!;
  const reason = typeof payload.reason === 'string' ? payload.reason.trim() : '';
  if (reason.length > REASON_MAX) return { error: `The reason is longer than ${REASON_MAX} characters` };
  let amount: number;
  if (payload.full === 'true') {
    amount = parseMajorUnits(offer.refundLeftMajor!, currency);
  } else {
    const text = typeof payload.amount === 'string' ? payload.amount.trim().replace(/,/g, '') : '';
    if (text === '') return { error: `Enter the amount to refund in ${currency}, e.g. ${offer.refundLeftMajor}` };
    try {
      amount = parseMajorUnits(text, currency);
    } catch (error) {
      if (error instanceof MoneyError) return { error: `Amount: ${error.message}` };
      throw error;
    }
  }
  if (amount <= 0) return { error: 'Enter an amount greater than zero' };
  return { amount, reason: reason === '' ? null : reason };
}
