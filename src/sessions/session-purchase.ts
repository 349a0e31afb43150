import { EntityManager } from '@mikro-orm/core';
import { InvalidRequest } from '@paymux/payments';
import { Product } from '../products/product.entity';
import type { CreateSessionDto } from './dto/create-session.dto';
import type { Purchase } from './session-request';

/**
 * What a session request buys: a marketplace product (its price and name), nothing (customer
 * mode), or a custom amount. Checks that the request names exactly one of them.
 */
export async function resolvePurchase(em: EntityManager, input: CreateSessionDto, mode: string): Promise<Purchase> {
  if (input.product_id !== undefined) {
    for (const param of ['amount', 'currency', 'description'] as const) {
      if (input[param] !== undefined) throw new InvalidRequest(param, `${param} cannot be combined with product_id`);
    }
    const product = await em.findOne(Product, { id: input.product_id });
    if (!product) throw new InvalidRequest('product_id', `No such product: ${input.product_id}`, 'resource_missing');
    if (!product.active) throw new InvalidRequest('product_id', `Product ${product.id} is archived and cannot start a session`, 'product_inactive');
    return { product, amount: product.amount, currency: product.currency, description: product.name };
  }
  if (mode === 'customer') {
    for (const param of ['amount', 'currency'] as const) {
      if (input[param] !== undefined) throw new InvalidRequest(param, `${param} is not allowed in customer mode (no payment is taken)`);
    }
    return { product: null, amount: null, currency: null, description: input.description ?? null };
  }
  if (input.amount === undefined) throw new InvalidRequest('amount', 'amount is required (with currency) when there is no product_id', 'parameter_missing');
  if (input.currency === undefined) throw new InvalidRequest('currency', 'currency is required (with amount) when there is no product_id', 'parameter_missing');
  return { product: null, amount: input.amount, currency: input.currency, description: input.description ?? null };
}
