import type { ResourceWithOptions } from 'adminjs';
import { Customer } from '../../customers/customer.entity';
import { actionsWithAccess, jsonAsText, NAVIGATION, readOnly } from '../resource-kit';
import type { ResourceDependencies } from './dependencies';

export function customerResource({ orm }: ResourceDependencies): ResourceWithOptions {
  return {
    resource: { model: Customer, orm },
    options: {
      navigation: NAVIGATION.payments,
      listProperties: ['id', 'reference', 'email', 'username', 'fullName', 'createdAt'],
      filterProperties: ['id', 'reference', 'email', 'username', 'fullName'],
      properties: { providerCustomers: { type: 'textarea' }, metadata: { type: 'textarea' } },
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: actionsWithAccess('Customer', readOnly(jsonAsText(['providerCustomers', 'metadata']))),
    },
  };
}
