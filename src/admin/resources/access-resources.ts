import { PaymuxError } from '@paymux/payments';
import type { ResourceWithOptions } from 'adminjs';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError as ClassValidationError } from 'class-validator';
import { ApiKey } from '../../api-keys/api-key.entity';
import { CreateAdminUserDto, UpdateAdminUserDto } from '../admin-user.dto';
import { ADMIN_ROLES, AdminUser } from '../admin-user.entity';
import { actionsWithAccess, confirmedAction, Handler, invalidForm, mapParams, NAVIGATION, recordJson, withoutSecret } from '../resource-kit';
import type { ResourceDependencies } from './dependencies';

export function apiKeyResource({ orm, apiKeys, components }: ResourceDependencies): ResourceWithOptions {
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
        revoke: confirmedAction(components.ConfirmAction, {
          icon: 'Slash',
          variant: 'danger',
          isVisible: (context) => !context.record?.params?.revokedAt,
          confirmation: () => ({
            question: 'Revoke this API key?',
            note: 'Requests using it are refused within seconds. A revoked key cannot be restored.',
            confirmLabel: 'Revoke key',
            keepLabel: 'Keep key',
            variant: 'danger',
          }),
          work: revoke,
          after: mapParams(withoutSecret('hash')),
        }),
      }),
    },
  };
}

export function adminUserResource({ orm, adminUsers, components }: ResourceDependencies): ResourceWithOptions {
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
        delete: confirmedAction(components.ConfirmAction, {
          icon: 'Trash2',
          variant: 'danger',
          // Nobody deletes themselves: the action is not offered on one's own user.
          isVisible: (context) => String(context.record?.id() ?? '') !== String(context.currentAdmin?.id ?? ''),
          confirmation: () => ({
            question: 'Delete this admin user?',
            note: 'They are signed out at once and can no longer sign in.',
            confirmLabel: 'Delete user',
            keepLabel: 'Keep user',
            variant: 'danger',
          }),
          work: remove,
          after: hideHash,
        }),
      }),
    },
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
