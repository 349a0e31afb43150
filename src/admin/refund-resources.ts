import type { MikroORM } from '@mikro-orm/core';
import type { ActionResponse, ResourceWithOptions } from 'adminjs';
import { Refund } from '../refunds/refund.entity';
import { Session } from '../sessions/session.entity';
import { moneyText } from './money-text';
import { hideWhenNothingLeft, sessionRefundAction, SessionRefundDependencies } from './refund-actions';
import { actionsWithAccess, jsonAsText, mapParams, NAVIGATION, ParamsMapper, pipe } from './resource-kit';

type After = (response: ActionResponse, request: unknown, context: unknown) => Promise<ActionResponse>;

/**
 * The panel's refunds: the read-only Refunds resource, and the Refund action added to the Session
 * resource of `resources` (its list and show then hide the action where nothing is left to refund).
 * The Session resource is found by its entity, so it may be defined anywhere.
 */
export function withRefunds(resources: ResourceWithOptions[], deps: SessionRefundDependencies): ResourceWithOptions[] {
  const out = resources.map((entry) => (isResourceOf(entry, Session) ? withRefundAction(entry, deps) : entry));
  return [...out, refundResource(deps.orm)];
}

function isResourceOf(entry: ResourceWithOptions, model: unknown): boolean {
  return (entry.resource as { model?: unknown } | undefined)?.model === model;
}

function withRefundAction(entry: ResourceWithOptions, deps: SessionRefundDependencies): ResourceWithOptions {
  const actions = { ...(entry.options.actions ?? {}) } as Record<string, Record<string, unknown>>;
  // Only the Refund action: the resource's other actions stay as they are.
  const { refund } = actionsWithAccess('Session', { refund: sessionRefundAction(deps) }) as Record<string, Record<string, unknown>>;
  actions.refund = refund;
  const hide = hideWhenNothingLeft(deps);
  for (const name of ['list', 'show']) {
    const existing = actions[name]?.after as After | After[] | undefined;
    actions[name] = { ...actions[name], after: [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hide] };
  }
  return { ...entry, options: { ...entry.options, actions } };
}

/** Amounts as money in their currency ("5,000.00 AMD"), not raw minor units; the failure as one line. */
const refundAsText: ParamsMapper = (params) => {
  const out: Record<string, unknown> = { ...params };
  const amount = Number(params.amount);
  if (typeof params.currency === 'string' && Number.isSafeInteger(amount)) out.amount = moneyText(amount, params.currency);
  const code = params['failure.code'];
  const message = params['failure.message'];
  for (const key of Object.keys(out)) if (key.startsWith('failure.')) delete out[key];
  if (typeof message === 'string') out.failure = typeof code === 'string' ? `${message} (${code})` : message;
  return out;
};

function refundResource(orm: MikroORM): ResourceWithOptions {
  const shown = mapParams(pipe(refundAsText, jsonAsText(['metadata'])));
  return {
    resource: { model: Refund, orm },
    options: {
      navigation: NAVIGATION.payments,
      listProperties: ['id', 'sessionId', 'provider', 'amount', 'status', 'initiatedBy', 'chargeback', 'createdAt'],
      showProperties: [
        'id', 'sessionId', 'provider', 'providerRefundId', 'amount', 'status', 'providerStatus', 'failure', 'reason',
        'initiatedBy', 'chargeback', 'metadata', 'createdAt', 'updatedAt', 'settledAt', 'lastCheckedAt',
      ],
      filterProperties: ['id', 'sessionId', 'provider', 'status', 'initiatedBy', 'chargeback', 'currency', 'providerRefundId', 'createdAt'],
      properties: {
        amount: { type: 'string', isSortable: true, description: "In the session's currency" },
        failure: { type: 'textarea', description: "The provider's reason, when it failed" },
        metadata: { type: 'textarea' },
        reason: { type: 'textarea' },
        chargeback: { type: 'boolean' },
      },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: actionsWithAccess('Refund', { list: { after: shown }, show: { after: shown } }),
    },
  };
}
