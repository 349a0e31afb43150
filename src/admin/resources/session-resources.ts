import { describeAmount, isTerminal, PaymuxError, SessionStatus } from '@paymux/payments';
import type { ActionContext, ResourceWithOptions } from 'adminjs';
import { Session } from '../../sessions/session.entity';
import { SessionEvent } from '../../sessions/session-event.entity';
import { Event } from '../../notifications/event.entity';
import { Refund } from '../../refunds/refund.entity';
import { InboundWebhook } from '../../webhooks/inbound-webhook.entity';
import { moneyText } from '../money-text';
import { toFormParams } from '../product-form';
import { RelatedList, withRelated } from '../related-records';
import { actionsWithAccess, confirmedAction, Handler, jsonAsText, mapParams, NAVIGATION, pipe, readOnly, recordJson } from '../resource-kit';
import type { ResourceDependencies } from './dependencies';

export function sessionResource({ orm, sessionActions, cancelsAtProvider, components }: ResourceDependencies): ResourceWithOptions {
  const shown = pipe(amountMismatchAsText, toFormParams, jsonAsText(['metadata', 'failure', 'paymentMethods']));
  const showAmount = mapParams(shown);
  const action =
    (name: 'sync' | 'cancel', done: string): Handler =>
    async (_request, _response, context) => {
      const record = context.record!;
      const id = String(record.id());
      const service = sessionActions();
      const current = () => recordJson(context, id, shown);
      if (!service) {
        return { record: await current(), notice: { message: 'Session actions are not available: the sessions module is not loaded', type: 'error' } };
      }
      try {
        await service[name](id, 'admin');
      } catch (error) {
        if (!(error instanceof PaymuxError)) throw error;
        return { record: await current(), notice: { message: error.message, type: 'error' } };
      }
      return {
        record: await current(),
        redirectUrl: context.h.recordActionUrl({ resourceId: 'Session', recordId: id, actionName: 'show' }),
        notice: { message: done, type: 'success' },
      };
    };
  return {
    resource: { model: Session, orm },
    options: {
      navigation: NAVIGATION.payments,
      listProperties: ['id', 'provider', 'status', 'amount', 'currency', 'amountMismatch', 'orderId', 'customerId', 'createdAt'],
      filterProperties: ['id', 'provider', 'status', 'mode', 'orderId', 'customerId', 'productId', 'providerSessionId', 'late', 'createdAt'],
      properties: {
        amount: { type: 'string', description: 'In major units of the currency' },
        amountMismatch: { type: 'string', description: 'What the provider reported charging, when it differs from the session' },
        metadata: { type: 'textarea' },
        failure: { type: 'textarea' },
        paymentMethods: { type: 'textarea' },
        late: { type: 'boolean' },
      },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: actionsWithAccess('Session', {
        list: { after: showAmount },
        show: { component: components.ShowWithRelated, after: [showAmount, withRelated(orm, SESSION_RELATED)] },
        // Offered only where it can succeed: sync once the provider knows the session, cancel
        // while it is not finished.
        sync: confirmedAction(components.ConfirmAction, {
          icon: 'RefreshCw',
          isVisible: (context) => !!param(context, 'providerSessionId'),
          confirmation: (context) => ({
            question: 'Sync this session with its provider?',
            note: `paymux asks ${param(context, 'provider')} for the session's status now and records any change.`,
            confirmLabel: 'Sync session',
            keepLabel: 'Go back',
          }),
          work: action('sync', 'Session synced with its provider'),
        }),
        cancel: confirmedAction(components.ConfirmAction, {
          icon: 'XCircle',
          variant: 'danger',
          isVisible: (context) => !isTerminal(param(context, 'status') as SessionStatus),
          confirmation: (context) => ({
            question: 'Cancel this session?',
            note: cancelNote(String(param(context, 'provider')), cancelsAtProvider(String(param(context, 'provider')))),
            confirmLabel: 'Cancel session',
            keepLabel: 'Keep session',
            variant: 'danger',
          }),
          work: action('cancel', 'Session cancelled'),
        }),
      }),
    },
  };
}

export function sessionEventResource({ orm }: ResourceDependencies): ResourceWithOptions {
  return {
    resource: { model: SessionEvent, orm },
    options: {
      navigation: NAVIGATION.payments,
      listProperties: ['id', 'sessionId', 'fromStatus', 'toStatus', 'source', 'late', 'createdAt'],
      filterProperties: ['sessionId', 'toStatus', 'source', 'late'],
      properties: { late: { type: 'boolean' } },
      sort: { sortBy: 'id', direction: 'desc' },
      actions: actionsWithAccess('SessionEvent', readOnly()),
    },
  };
}

/** The flattened `amountMismatch.*` params → one line an operator reads: "1000.00 AMD reported at …". */
function amountMismatchAsText(params: Record<string, unknown>): Record<string, unknown> {
  const amount = params['amountMismatch.amount'];
  const currency = params['amountMismatch.currency'];
  const out = Object.fromEntries(Object.entries(params).filter(([key]) => !key.startsWith('amountMismatch.')));
  if (amount === undefined || typeof currency !== 'string') return out;
  out.amountMismatch = `${describeAmount(Number(amount), currency)} reported at ${String(params['amountMismatch.reportedAt'])}`;
  return out;
}

/** What a session's page lists under it; a refunds list is one more entry. */
const SESSION_RELATED: RelatedList[] = [
  {
    title: 'Status changes',
    resourceId: 'SessionEvent',
    entity: SessionEvent,
    foreignKey: 'sessionId',
    orderBy: 'id',
    columns: [{ property: 'fromStatus', label: 'From' }, { property: 'toStatus', label: 'To' }, { property: 'source', label: 'Source' }, { property: 'late', label: 'Late' }, { property: 'createdAt', label: 'At' }],
  },
  {
    title: 'Notification events',
    resourceId: 'Event',
    entity: Event,
    foreignKey: 'sessionId',
    orderBy: 'createdAt',
    columns: [{ property: 'type', label: 'Type' }, { property: 'createdAt', label: 'At' }],
  },
  {
    title: 'Refunds',
    resourceId: 'Refund',
    entity: Refund,
    foreignKey: 'sessionId',
    orderBy: 'createdAt',
    columns: [
      { property: 'amount', label: 'Amount', format: (row) => moneyText(Number(row.amount), String(row.currency)) },
      { property: 'status', label: 'Status' },
      { property: 'initiatedBy', label: 'By' },
      { property: 'createdAt', label: 'At' },
    ],
  },
  {
    title: 'Inbound provider callbacks',
    resourceId: 'InboundWebhook',
    entity: InboundWebhook,
    foreignKey: 'sessionId',
    orderBy: 'receivedAt',
    columns: [{ property: 'provider', label: 'Provider' }, { property: 'eventType', label: 'Event type' }, { property: 'outcome', label: 'Outcome' }, { property: 'receivedAt', label: 'Received at' }],
  },
];

function param(context: ActionContext, name: string): unknown {
  return context.record?.params?.[name];
}

/** What a cancel does at this provider: at the provider, or (without a cancel call) in paymux only. */
function cancelNote(provider: string, atProvider: boolean | null): string {
  if (atProvider === false) {
    return `${provider} has no cancel call: the session is cancelled in paymux only. The buyer's payment page at ${provider} is not closed, `
      + 'and a payment made there later is still recorded, as a late payment.';
  }
  return `The session is cancelled at ${provider} too; the buyer can no longer pay it.`;
}
