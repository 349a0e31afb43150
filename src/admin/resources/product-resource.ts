import type { ResourceWithOptions } from 'adminjs';
import { Product } from '../../products/product.entity';
import { readCreateForm, readUpdateForm, toFormParams } from '../product-form';
import { actionsWithAccess, confirmedAction, Handler, invalidForm, jsonAsText, mapParams, NAVIGATION, pipe, recordJson } from '../resource-kit';
import type { ResourceDependencies } from './dependencies';

export function productResource({ orm, products, components }: ResourceDependencies): ResourceWithOptions {
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
        // Saved active unless unticked: the new form shows it ticked.
        active: { type: 'boolean', components: { edit: components.DefaultTrueEdit } },
      },
      sort: { sortBy: 'id', direction: 'desc' },
      actions: actionsWithAccess('Product', {
        list: { after: showAmount },
        show: { after: showAmount },
        new: { handler: create },
        edit: { handler: edit },
        delete: confirmedAction(components.ConfirmAction, {
          icon: 'Trash2',
          variant: 'danger',
          confirmation: () => ({
            question: 'Delete this product?',
            note: 'A product that sessions use is not deleted but archived (Active off), so their history stays whole.',
            confirmLabel: 'Delete product',
            keepLabel: 'Keep product',
            variant: 'danger',
          }),
          work: remove,
          after: showAmount,
        }),
      }),
    },
  };
}
