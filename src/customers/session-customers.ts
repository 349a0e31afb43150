import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { InvalidRequest } from '@paymux/payments';
import { Clock } from '../clock';
import { Customer } from './customer.entity';

/** A customer given inline with a session: upserted by `reference`. */
export interface InlineCustomer {
  reference?: string;
  email?: string;
  username?: string;
  full_name?: string;
}

/** How a session request names its customer: an existing one, or one given inline (not both). */
export interface SessionCustomerInput {
  customer_id?: string;
  customer?: InlineCustomer;
}

/**
 * The customers sessions create and update: the one a session request names (an existing
 * customer, or an inline one upserted by reference) and the ids providers give it later.
 */
@Injectable()
export class SessionCustomers {
  constructor(private readonly em: EntityManager, private readonly clock: Clock) {}

  /** The session's customer, not yet saved: validation must pass before anything is written. */
  async resolve(em: EntityManager, input: SessionCustomerInput): Promise<Customer | null> {
    if (input.customer_id !== undefined && input.customer !== undefined) {
      throw new InvalidRequest('customer', 'customer cannot be combined with customer_id');
    }
    if (input.customer_id !== undefined) {
      const existing = await em.findOne(Customer, { id: input.customer_id });
      if (!existing) throw new InvalidRequest('customer_id', `No such customer: ${input.customer_id}`, 'resource_missing');
      return existing;
    }
    if (input.customer === undefined) return null;
    const existing = input.customer.reference ? await em.findOne(Customer, { reference: input.customer.reference }) : null;
    return applyInlineCustomer(existing ?? new Customer(), input.customer);
  }

  /** Upserts the customer by reference; a concurrent insert of the same reference is merged. */
  async save(customer: Customer): Promise<Customer> {
    const em = this.em.fork();
    try {
      await em.upsert(Customer, customer, { onConflictFields: ['id'] });
      return customer;
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || !customer.reference) throw error;
      const existing = await em.findOneOrFail(Customer, { reference: customer.reference });
      applyInlineCustomer(existing, { email: customer.email ?? undefined, username: customer.username ?? undefined, full_name: customer.fullName ?? undefined });
      await em.flush();
      return existing;
    }
  }

  /**
   * Keeps the id `provider` gave the customer, in `em`'s transaction. Answers the customer when
   * it changed (the caller tells the merchant), null when there was nothing to change.
   */
  async linkProviderCustomer(em: EntityManager, customerId: string, provider: string, providerCustomerId: string): Promise<Customer | null> {
    const customer = await em.findOne(Customer, { id: customerId });
    if (!customer || customer.providerCustomers[provider] === providerCustomerId) return null;
    customer.providerCustomers = { ...customer.providerCustomers, [provider]: providerCustomerId };
    customer.updatedAt = this.clock.now();
    return customer;
  }
}

function applyInlineCustomer(customer: Customer, input: InlineCustomer): Customer {
  if (input.reference !== undefined) customer.reference = input.reference;
  if (input.email !== undefined) customer.email = input.email;
  if (input.username !== undefined) customer.username = input.username;
  if (input.full_name !== undefined) customer.fullName = input.full_name;
  return customer;
}
