import { describeAmount, PaymuxError } from '@paymux/payments';
import type { ResourceWithOptions } from 'adminjs';
import { Session } from '../../sessions/session.entity';
import { SessionEvent } from '../../sessions/session-event.entity';
import { toFormParams } from '../product-form';
import { actionsWithAccess, Handler, jsonAsText, mapParams, NAVIGATION, pipe, readOnly, recordJson } from '../resource-kit';
import type { ResourceDependencies } from './dependencies';

export function sessionResource({ orm, sessionActions }: ResourceDependencies): ResourceWithOptions {
  const showAmount = mapParams(pipe(amountMismatchAsText, toFormParams, jsonAsText(['metadata', 'failure', 'paymentMethods'])));
  const action =
    (name: 'sync' | 'cancel', done: string): Handler =>
    async (_request, _response, context) => {
      const record = context.record!;
      const id = String(record.id());
      const service = sessionActions();
      const current = () => recordJson(context, id, toFormParams);
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
        show: { after: showAmount },
        sync: { actionType: 'record', component: false, icon: 'RefreshCw', handler: action('sync', 'Session synced with its provider') },
        cancel: {
          actionType: 'record',
          component: false,
          icon: 'XCircle',
          variant: 'danger',
          guard: 'Cancel this session at its provider?',
          handler: action('cancel', 'Session cancelled'),
        },
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
