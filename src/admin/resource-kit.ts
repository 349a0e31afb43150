import type { Action, ActionContext, ActionRequest, ActionResponse, BaseRecord, RecordJSON, ResourceOptions } from 'adminjs';
import { canAccess } from './admin-access';

/** AdminJS's own actions; each one a resource does not list in ADMIN_ACCESS is switched off. */
const BUILT_IN_ACTIONS = ['list', 'search', 'show', 'new', 'edit', 'delete', 'bulkDelete'];

export type ActionOptions = Partial<Action<ActionResponse>>;
export type ParamsMapper = (params: Record<string, unknown>) => Record<string, unknown>;

export const NAVIGATION = {
  payments: { name: 'Payments', icon: 'CreditCard' },
  operations: { name: 'Operations', icon: 'Activity' },
  notifications: { name: 'Notifications', icon: 'Send' },
  access: { name: 'Access', icon: 'Lock' },
} as const;

/**
 * Every action of a resource, built in or custom, checked against ADMIN_ACCESS for the signed-in
 * role. A custom action's own `isVisible` function can hide it further (e.g. Resume on a job that
 * is not paused) but never shows it to a role the table refuses.
 */
export function actionsWithAccess(resourceId: string, custom: Record<string, ActionOptions> = {}): ResourceOptions['actions'] {
  const actions: Record<string, ActionOptions> = {};
  for (const name of new Set([...BUILT_IN_ACTIONS, ...Object.keys(custom)])) {
    const allowed = (context: ActionContext) => canAccess(context.currentAdmin?.role, resourceId, name);
    const shown = custom[name]?.isVisible;
    const visible = typeof shown === 'function' ? (context: ActionContext) => allowed(context) && !!shown(context) : allowed;
    actions[name] = { ...custom[name], isAccessible: allowed, isVisible: visible };
  }
  return actions as ResourceOptions['actions'];
}

/** An `after` hook for list and show that rewrites each returned record's params. */
export function mapParams(mapper: ParamsMapper) {
  return async (response: ActionResponse): Promise<ActionResponse> => {
    const apply = (record?: RecordJSON) => (record?.params ? { ...record, params: mapper(record.params) } : record);
    if (Array.isArray(response.records)) response.records = response.records.map((record: RecordJSON) => apply(record));
    if (response.record) response.record = apply(response.record);
    return response;
  };
}

/** Shows JSON columns (flattened by AdminJS into `field.key` params) as one pretty-printed text. */
export function jsonAsText(fields: string[]): ParamsMapper {
  return (params) => {
    const out: Record<string, unknown> = {};
    const nested: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries(params)) {
      const field = fields.find((name) => key === name || key.startsWith(`${name}.`));
      if (!field) out[key] = value;
      else if (key === field) out[key] = value === null || typeof value !== 'object' ? value : JSON.stringify(value, null, 2);
      else (nested[field] ??= {})[key.slice(field.length + 1)] = value;
    }
    for (const [field, values] of Object.entries(nested)) out[field] = JSON.stringify(values, null, 2);
    return out;
  };
}

export function pipe(...mappers: ParamsMapper[]): ParamsMapper {
  return (params) => mappers.reduce((acc, mapper) => mapper(acc), params);
}

/** The answer that puts field errors under the form's fields and keeps what was typed. */
export function invalidForm(context: ActionContext, request: ActionRequest, errors: Record<string, { message: string }>): ActionResponse {
  const record = context.resource.build((request.payload ?? {}) as Record<string, unknown>) as BaseRecord;
  const json = record.toJSON(context.currentAdmin);
  return {
    record: { ...json, errors: Object.fromEntries(Object.entries(errors).map(([field, { message }]) => [field, { type: 'validation', message }])) },
    notice: { message: 'thereWereValidationErrors', type: 'error' },
  };
}

export async function recordJson(context: ActionContext, id: string | number, mapper: ParamsMapper = (p) => p): Promise<RecordJSON | null> {
  const record = await context.resource.findOne(String(id));
  if (!record) return null;
  const json = record.toJSON(context.currentAdmin);
  return { ...json, params: mapper(json.params) };
}

export type Handler = (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;

/** List and show only, each record's params rewritten by the mapper. */
export function readOnly(mapper: ParamsMapper = jsonAsText([])): Record<string, ActionOptions> {
  return { list: { after: mapParams(mapper) }, show: { after: mapParams(mapper) } };
}

export function withoutSecret(field: string): ParamsMapper {
  return (params) => {
    const { [field]: _secret, ...rest } = params;
    return rest;
  };
}

/** Pretty-prints a column that holds JSON text (left as it is when it is not JSON). */
export function prettyJson(field: string): ParamsMapper {
  return (params) => {
    const value = params[field];
    if (typeof value !== 'string') return params;
    try {
      return { ...params, [field]: JSON.stringify(JSON.parse(value), null, 2) };
    } catch {
      return params;
    }
  };
}

/** What the page of a side-effect action says (see components/confirm-action.jsx). */
export interface Confirmation {
  question: string;
  /** Shown above the buttons, e.g. that a cancel stays in paymux only. */
  note?: string;
  confirmLabel: string;
  keepLabel: string;
  variant?: 'danger' | 'contained';
}

/**
 * A record action with a side effect: its page asks first, in words and with buttons named by
 * what they do, and only a POST does the work: a GET (opening the page, a link, a prefetch)
 * answers the record and its confirmation and changes nothing.
 */
export function confirmedAction(
  component: string,
  options: ActionOptions & { confirmation(context: ActionContext): Confirmation; work: Handler },
): ActionOptions {
  const { confirmation, work, ...rest } = options;
  const handler: Handler = async (request, response, context) => {
    if (request.method === 'post') return work(request, response, context);
    const record = context.record ? context.record.toJSON(context.currentAdmin) : null;
    return { record: record ? { ...record, confirmation: confirmation(context) } : record } as ActionResponse;
  };
  return { actionType: 'record', component, ...rest, handler };
}
