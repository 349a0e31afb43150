import type { MikroORM } from '@mikro-orm/core';
import { describeAmount, PaymuxError } from '@paymux/payments';
import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError as ClassValidationError } from 'class-validator';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeyService } from '../api-keys/api-key.service';
import { Customer } from '../customers/customer.entity';
import { JobRun } from '../jobs/job-run.entity';
import { JobState } from '../jobs/job-state.entity';
import { DeliveryAttempt } from '../notifications/delivery-attempt.entity';
import { Delivery } from '../notifications/delivery.entity';
import { Event } from '../notifications/event.entity';
import { WebhookEndpoint } from '../notifications/webhook-endpoint.entity';
import { ProductsService } from '../products/products.service';
import { Product } from '../products/product.entity';
import { Session } from '../sessions/session.entity';
import { SessionEvent } from '../sessions/session-event.entity';
import { InboundWebhook } from '../webhooks/inbound-webhook.entity';
import { CreateAdminUserDto, UpdateAdminUserDto } from './admin-user.dto';
import { ADMIN_ROLES, AdminUser } from './admin-user.entity';
import { AdminUsersService } from './admin-users.service';
import { readCreateForm, readUpdateForm, toFormParams } from './product-form';
import { actionsWithAccess, invalidForm, jsonAsText, mapParams, NAVIGATION, pipe, recordJson } from './resource-kit';
import type { SessionActions } from './session-actions';
import type { AdminComponents } from './admin-bundle';
import type { EventActions } from './event-actions';
import type { JobActions } from './job-actions';

export interface ResourceDependencies {
  orm: MikroORM;
  products: ProductsService;
  apiKeys: ApiKeyService;
  adminUsers: AdminUsersService;
  /** null while no module provides SessionsService. */
  sessionActions(): SessionActions | null;
  /** null while no module provides JobsService. */
  jobActions(): JobActions | null;
  /** null while no module provides EventsService. */
  eventActions(): EventActions | null;
  components: AdminComponents;
}

type Handler = (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;

export function adminResources(deps: ResourceDependencies): ResourceWithOptions[] {
  const { orm } = deps;
  const readOnly = (mapper = jsonAsText([])) => ({ list: { after: mapParams(mapper) }, show: { after: mapParams(mapper) } });
  return [
    productResource(deps),
    {
      resource: { model: Customer, orm },
      options: {
        navigation: NAVIGATION.payments,
        listProperties: ['id', 'reference', 'email', 'username', 'fullName', 'createdAt'],
        filterProperties: ['id', 'reference', 'email', 'username', 'fullName'],
        properties: { providerCustomers: { type: 'textarea' }, metadata: { type: 'textarea' } },
        sort: { sortBy: 'createdAt', direction: 'desc' },
        actions: actionsWithAccess('Customer', readOnly(jsonAsText(['providerCustomers', 'metadata']))),
      },
    },
    sessionResource(deps),
    {
      resource: { model: SessionEvent, orm },
      options: {
        navigation: NAVIGATION.payments,
        listProperties: ['id', 'sessionId', 'fromStatus', 'toStatus', 'source', 'late', 'createdAt'],
        filterProperties: ['sessionId', 'toStatus', 'source', 'late'],
        properties: { late: { type: 'boolean' } },
        sort: { sortBy: 'id', direction: 'desc' },
        actions: actionsWithAccess('SessionEvent', readOnly()),
      },
    },
    {
      resource: { model: InboundWebhook, orm },
      options: {
        navigation: NAVIGATION.operations,
        listProperties: ['id', 'provider', 'eventType', 'sessionId', 'outcome', 'receivedAt'],
        filterProperties: ['provider', 'eventType', 'sessionId', 'outcome', 'dedupeKey'],
        properties: { rawBody: { type: 'textarea' }, headers: { type: 'textarea' } },
        sort: { sortBy: 'id', direction: 'desc' },
        actions: actionsWithAccess('InboundWebhook', readOnly(jsonAsText(['headers']))),
      },
    },
    {
      resource: { model: JobRun, orm },
      options: {
        navigation: NAVIGATION.operations,
        listProperties: ['job', 'status', 'startedAt', 'finishedAt', 'examined', 'changed', 'instanceId'],
        filterProperties: ['job', 'status', 'instanceId'],
        sort: { sortBy: 'startedAt', direction: 'desc' },
        actions: actionsWithAccess('JobRun', readOnly()),
      },
    },
    jobStateResource(deps),
    eventResource(deps),
    {
      resource: { model: Delivery, orm },
      options: {
        navigation: NAVIGATION.notifications,
        listProperties: ['id', 'eventId', 'url', 'state', 'attempts', 'nextAttemptAt', 'deliveredAt', 'createdAt'],
        filterProperties: ['eventId', 'endpointId', 'state'],
        sort: { sortBy: 'id', direction: 'desc' },
        actions: actionsWithAccess('Delivery', readOnly()),
      },
    },
    {
      resource: { model: DeliveryAttempt, orm },
      options: {
        navigation: NAVIGATION.notifications,
        listProperties: ['id', 'deliveryId', 'eventId', 'attempt', 'statusCode', 'durationMs', 'error', 'createdAt'],
        filterProperties: ['deliveryId', 'eventId', 'statusCode'],
        properties: { responseSnippet: { type: 'textarea' }, error: { type: 'textarea' } },
        sort: { sortBy: 'id', direction: 'desc' },
        actions: actionsWithAccess('DeliveryAttempt', readOnly()),
      },
    },
    {
      resource: { model: WebhookEndpoint, orm },
      options: {
        navigation: NAVIGATION.notifications,
        listProperties: ['id', 'url', 'description', 'createdAt', 'deletedAt'],
        showProperties: ['id', 'url', 'enabledEvents', 'description', 'createdAt', 'deletedAt'],
        filterProperties: ['url'],
        // The signing secret is shown once by the API at creation and never again, here neither.
        properties: { secret: { isVisible: false }, enabledEvents: { type: 'textarea' } },
        sort: { sortBy: 'createdAt', direction: 'desc' },
        actions: actionsWithAccess('WebhookEndpoint', readOnly(pipe(withoutSecret('secret'), jsonAsText(['enabledEvents'])))),
      },
    },
    apiKeyResource(deps),
    adminUserResource(deps),
  ];
}

function jobStateResource({ orm, jobActions }: ResourceDependencies): ResourceWithOptions {
  const action =
    (work: (service: JobActions, job: string) => Promise<unknown>, done: string): Handler =>
    async (_request, _response, context) => {
      const job = String(context.record!.id());
      const service = jobActions();
      const current = () => recordJson(context, job);
      if (!service) return { record: await current(), notice: { message: 'Job actions are not available: the jobs module is not loaded', type: 'error' } };
      try {
        await work(service, job);
      } catch (error) {
        if (!(error instanceof PaymuxError)) throw error;
        return { record: await current(), notice: { message: error.message, type: 'error' } };
      }
      return {
        record: await current(),
        redirectUrl: context.h.recordActionUrl({ resourceId: 'JobState', recordId: job, actionName: 'show' }),
        notice: { message: done, type: 'success' },
      };
    };
  const paused = (context: ActionContext) => context.record?.params?.paused === true || context.record?.params?.paused === 'true';
  return {
    resource: { model: JobState, orm },
    options: {
      navigation: NAVIGATION.operations,
      listProperties: ['job', 'paused', 'lastRunAt', 'lastSuccessAt'],
      properties: { job: { isTitle: true }, paused: { type: 'boolean' } },
      sort: { sortBy: 'job', direction: 'asc' },
      actions: actionsWithAccess('JobState', {
        pause: {
          actionType: 'record',
          component: false,
          icon: 'Pause',
          guard: 'Pause this job on every instance?',
          isVisible: (context) => !paused(context),
          handler: action((service, job) => service.setPaused(job, true), 'Job paused on every instance'),
        },
        resume: {
          actionType: 'record',
          component: false,
          icon: 'Play',
          isVisible: (context) => paused(context),
          handler: action((service, job) => service.setPaused(job, false), 'Job resumed'),
        },
        runNow: {
          actionType: 'record',
          component: false,
          icon: 'FastForward',
          guard: 'Run this job now in this instance (even if it is paused)?',
          handler: action((service, job) => service.runNow(job), 'Job run finished: see Job runs'),
        },
      }),
    },
  };
}

function eventResource({ orm, eventActions }: ResourceDependencies): ResourceWithOptions {
  const showPayload = mapParams(prettyJson('payload'));
  const redeliver: Handler = async (_request, _response, context) => {
    const id = String(context.record!.id());
    const service = eventActions();
    const current = () => recordJson(context, id, prettyJson('payload'));
    if (!service) return { record: await current(), notice: { message: 'Redelivery is not available: the notifications module is not loaded', type: 'error' } };
    try {
      await service.redeliver(id);
    } catch (error) {
      if (!(error instanceof PaymuxError)) throw error;
      return { record: await current(), notice: { message: error.message, type: 'error' } };
    }
    return {
      record: await current(),
      redirectUrl: context.h.recordActionUrl({ resourceId: 'Event', recordId: id, actionName: 'show' }),
      notice: { message: 'Every delivery of this event is due again: the delivery job sends it on its next run', type: 'success' },
    };
  };
  return {
    resource: { model: Event, orm },
    options: {
      navigation: NAVIGATION.notifications,
      listProperties: ['id', 'type', 'sessionId', 'customerId', 'createdAt'],
      showProperties: ['id', 'type', 'sessionId', 'customerId', 'createdAt', 'payload'],
      filterProperties: ['id', 'type', 'sessionId', 'customerId', 'createdAt'],
      properties: { payload: { type: 'textarea' } },
      sort: { sortBy: 'id', direction: 'desc' },
      actions: actionsWithAccess('Event', {
        list: { after: showPayload },
        show: { after: showPayload },
        redeliver: {
          actionType: 'record',
          component: false,
          icon: 'Send',
          guard: 'Send every delivery of this event again?',
          handler: redeliver,
        },
      }),
    },
  };
}

function productResource({ orm, products }: ResourceDependencies): ResourceWithOptions {
  // The record a page shows: the amount in major units and metadata as text, also in the
  // answers to create and edit (the show page's text component cannot render an object).
  const shown = pipe(toFormParams, jsonAsText(['metadata']));
  const showAmount = mapParams(shown);
  const create: Handler = async (request, _response, context) => {
    if (request.method !== 'post') return {};
    const form = await readCreateForm(request.payload ?? {});
    if (form.errors) return invalidForm(context, request, form.errors);
    const product = await products.create(form.dto);
    return {
      redirectUrl: context.h.resourceUrl({ resourceId: 'Product' }),
      notice: { message: 'successfullyCreated', type: 'success' },
      record: await recordJson(context, product.id, shown),
    };
  };
  const edit: Handler = async (request, _response, context) => {
    const record = context.record!;
    if (request.method !== 'post') return { record: { ...record.toJSON(context.currentAdmin), params: toFormParams(record.params) } };
    const form = await readUpdateForm(request.payload ?? {}, String(record.params.currency));
    if (form.errors) return invalidForm(context, request, form.errors);
    const product = await products.update(Number(record.id()), form.dto);
    return {
      redirectUrl: context.h.recordActionUrl({ resourceId: 'Product', recordId: String(product.id), actionName: 'show' }),
      notice: { message: 'successfullyUpdated', type: 'success' },
      record: await recordJson(context, product.id, shown),
    };
  };
  const remove: Handler = async (_request, _response, context) => {
    const record = context.record!;
    const result = await products.remove(Number(record.id()));
    return {
      redirectUrl: context.h.resourceUrl({ resourceId: 'Product' }),
      notice: result.deleted
        ? { message: 'successfullyDeleted', type: 'success' }
        : { message: 'The product is used by sessions, so it was archived (active: false) instead of deleted', type: 'info' },
      record: { ...record.toJSON(context.currentAdmin), params: shown({ ...record.params, active: false }) },
    };
  };
  return {
    resource: { model: Product, orm },
    options: {
      navigation: NAVIGATION.payments,
      listProperties: ['id', 'name', 'amount', 'currency', 'active', 'spayonProductId', 'updatedAt'],
      showProperties: ['id', 'name', 'description', 'amount', 'currency', 'active', 'spayonProductId', 'metadata', 'createdAt', 'updatedAt'],
      editProperties: ['name', 'description', 'amount', 'currency', 'active', 'spayonProductId'],
      filterProperties: ['name', 'currency', 'active'],
      properties: {
        name: { isTitle: true },
        amount: { type: 'string', isRequired: true, description: 'In major units of the currency, e.g. 5000.00 AMD or 1000 JPY' },
        currency: { isRequired: true, description: 'ISO 4217 code, e.g. AMD, USD, JPY' },
        description: { type: 'textarea' },
        metadata: { type: 'textarea' },
        // Not a column: the form's view of providerProducts.spayon (see product-form.ts).
        spayonProductId: { type: 'number', isSortable: false },
        active: { type: 'boolean' },
      },
      sort: { sortBy: 'id', direction: 'desc' },
      actions: actionsWithAccess('Product', {
        list: { after: showAmount },
        show: { after: showAmount },
        new: { handler: create },
        edit: { handler: edit },
        delete: { handler: remove, guard: 'deleteConfirmation' },
      }),
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

function sessionResource({ orm, sessionActions }: ResourceDependencies): ResourceWithOptions {
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

function apiKeyResource({ orm, apiKeys, components }: ResourceDependencies): ResourceWithOptions {
  const create: Handler = async (request, _response, context) => {
    if (request.method !== 'post') return {};
    const name = typeof request.payload?.name === 'string' ? request.payload.name.trim() : '';
    if (name.length < 1 || name.length > 255) return invalidForm(context, request, { name: { message: 'name must be 1 to 255 characters' } });
    const { apiKey, key } = await apiKeys.create(name);
    return {
      record: await recordJson(context, apiKey.id),
      key,
      notice: { message: 'API key created: copy it now, it is not shown again', type: 'success' },
    };
  };
  const revoke: Handler = async (_request, _response, context) => {
    const id = String(context.record!.id());
    await apiKeys.revoke(id);
    return {
      record: await recordJson(context, id),
      redirectUrl: context.h.recordActionUrl({ resourceId: 'ApiKey', recordId: id, actionName: 'show' }),
      notice: { message: 'API key revoked', type: 'success' },
    };
  };
  return {
    resource: { model: ApiKey, orm },
    options: {
      navigation: NAVIGATION.access,
      listProperties: ['name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'],
      showProperties: ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'],
      filterProperties: ['name', 'prefix'],
      properties: { hash: { isVisible: false }, name: { isTitle: true } },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: actionsWithAccess('ApiKey', {
        list: { after: mapParams(withoutSecret('hash')) },
        show: { after: mapParams(withoutSecret('hash')) },
        new: { component: components.ApiKeyCreate, handler: create, after: mapParams(withoutSecret('hash')) },
        revoke: {
          actionType: 'record',
          component: false,
          icon: 'Slash',
          variant: 'danger',
          guard: 'Revoke this API key? Requests using it will be refused within seconds.',
          handler: revoke,
          after: mapParams(withoutSecret('hash')),
        },
      }),
    },
  };
}

function adminUserResource({ orm, adminUsers }: ResourceDependencies): ResourceWithOptions {
  const fields = (payload: Record<string, unknown>) => {
    const plain: Record<string, unknown> = {};
    for (const field of ['email', 'password', 'role', 'disabled']) {
      const value = payload[field];
      if (value === undefined || value === null || (field === 'password' && value === '')) continue;
      plain[field] = value;
    }
    return plain;
  };
  const create: Handler = async (request, _response, context) => {
    if (request.method !== 'post') return {};
    const dto = plainToInstance(CreateAdminUserDto, fields(request.payload ?? {}));
    const errors = await validateFields(dto);
    if (errors) return invalidForm(context, request, errors);
    const user = await createOrFieldError(() => adminUsers.create(dto));
    if ('errors' in user) return invalidForm(context, request, user.errors);
    return {
      redirectUrl: context.h.resourceUrl({ resourceId: 'AdminUser' }),
      notice: { message: 'successfullyCreated', type: 'success' },
      record: await recordJson(context, user.id, withoutSecret('passwordHash')),
    };
  };
  const edit: Handler = async (request, _response, context) => {
    const record = context.record!;
    const id = String(record.id());
    if (request.method !== 'post') return { record: await recordJson(context, id, withoutSecret('passwordHash')) };
    const dto = plainToInstance(UpdateAdminUserDto, fields(request.payload ?? {}));
    const errors = await validateFields(dto);
    if (errors) return invalidForm(context, request, errors);
    if (id === context.currentAdmin?.id && ((dto.role !== undefined && dto.role !== 'admin') || dto.disabled === true)) {
      return invalidForm(context, request, { role: { message: 'You cannot take the admin role away from yourself or disable yourself' } });
    }
    const user = await createOrFieldError(() => adminUsers.update(id, dto));
    if ('errors' in user) return invalidForm(context, request, user.errors);
    return {
      redirectUrl: context.h.recordActionUrl({ resourceId: 'AdminUser', recordId: id, actionName: 'show' }),
      notice: { message: 'successfullyUpdated', type: 'success' },
      record: await recordJson(context, id, withoutSecret('passwordHash')),
    };
  };
  const remove: Handler = async (_request, _response, context) => {
    const record = context.record!;
    const id = String(record.id());
    const json = { ...record.toJSON(context.currentAdmin), params: withoutSecret('passwordHash')(record.params) };
    if (id === context.currentAdmin?.id) return { record: json, notice: { message: 'You cannot delete yourself', type: 'error' } };
    await adminUsers.remove(id);
    return { record: json, redirectUrl: context.h.resourceUrl({ resourceId: 'AdminUser' }), notice: { message: 'successfullyDeleted', type: 'success' } };
  };
  const hideHash = mapParams(withoutSecret('passwordHash'));
  return {
    resource: { model: AdminUser, orm },
    options: {
      navigation: NAVIGATION.access,
      listProperties: ['email', 'role', 'disabled', 'lastLoginAt', 'createdAt'],
      showProperties: ['id', 'email', 'role', 'disabled', 'lastLoginAt', 'createdAt'],
      editProperties: ['email', 'password', 'role', 'disabled'],
      filterProperties: ['email', 'role', 'disabled'],
      properties: {
        email: { isTitle: true, isRequired: true },
        passwordHash: { isVisible: false },
        password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true }, description: 'At least 12 characters; leave empty to keep the current one' },
        disabled: { type: 'boolean' },
        role: { availableValues: ADMIN_ROLES.map((role) => ({ value: role, label: role })), isRequired: true },
      },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: actionsWithAccess('AdminUser', {
        list: { after: hideHash },
        show: { after: hideHash },
        new: { handler: create },
        edit: { handler: edit },
        delete: { handler: remove, guard: 'deleteConfirmation' },
      }),
    },
  };
}

function withoutSecret(field: string) {
  return (params: Record<string, unknown>) => {
    const { [field]: _secret, ...rest } = params;
    return rest;
  };
}

/** Pretty-prints a column that holds JSON text (left as it is when it is not JSON). */
function prettyJson(field: string) {
  return (params: Record<string, unknown>) => {
    const value = params[field];
    if (typeof value !== 'string') return params;
    try {
      return { ...params, [field]: JSON.stringify(JSON.parse(value), null, 2) };
    } catch {
      return params;
    }
  };
}

async function validateFields(dto: object): Promise<Record<string, { message: string }> | null> {
  const failures: ClassValidationError[] = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (failures.length === 0) return null;
  return Object.fromEntries(failures.map((f) => [f.property, { message: Object.values(f.constraints ?? {})[0] ?? `${f.property} is invalid` }]));
}

async function createOrFieldError<T>(work: () => Promise<T>): Promise<T | { errors: Record<string, { message: string }> }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PaymuxError && error.param) return { errors: { [error.param]: { message: error.message } } };
    throw error;
  }
}
