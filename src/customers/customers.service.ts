import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { InvalidRequest, NotFound } from '@paymux/payments';
import { pageLimit, toList } from '../http/pagination';
import { Customer } from './customer.entity';
import { CreateCustomerDto, CustomerView, ListCustomersQuery, UpdateCustomerDto } from './dto/customer.dto';

export function renderCustomer(customer: Customer): CustomerView {
  return {
    id: customer.id,
    object: 'customer',
    reference: customer.reference,
    email: customer.email,
    username: customer.username,
    full_name: customer.fullName,
    provider_customers: customer.providerCustomers,
    metadata: customer.metadata,
    created_at: customer.createdAt.toISOString(),
    updated_at: customer.updatedAt.toISOString(),
  };
}

@Injectable()
export class CustomersService {
  constructor(private readonly em: EntityManager) {}

  async create(input: CreateCustomerDto): Promise<Customer> {
    const em = this.em.fork();
    const customer = Object.assign(new Customer(), {
      reference: input.reference ?? null,
      email: input.email ?? null,
      username: input.username ?? null,
      fullName: input.full_name ?? null,
      metadata: input.metadata ?? {},
    });
    await flushUnique(() => em.persistAndFlush(customer));
    return customer;
  }

  async get(id: string): Promise<Customer> {
    const customer = await this.em.fork().findOne(Customer, { id });
    if (!customer) throw new NotFound('customer', id);
    return customer;
  }

  async list(query: ListCustomersQuery) {
    const limit = pageLimit(query);
    const where: Record<string, unknown> = {};
    if (query.email !== undefined) where.email = query.email;
    if (query.reference !== undefined) where.reference = query.reference;
    if (query.starting_after !== undefined) where.id = { $lt: query.starting_after };
    const rows = await this.em.fork().find(Customer, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toList(rows, limit, renderCustomer);
  }

  async update(id: string, input: UpdateCustomerDto): Promise<Customer> {
    const em = this.em.fork();
    const customer = await em.findOne(Customer, { id });
    if (!customer) throw new NotFound('customer', id);
    applyCustomerFields(customer, input);
    await flushUnique(() => em.flush());
    return customer;
  }

  async remove(id: string): Promise<void> {
    const deleted = await this.em.fork().nativeDelete(Customer, { id });
    if (deleted === 0) throw new NotFound('customer', id);
  }
}

export function applyCustomerFields(customer: Customer, input: UpdateCustomerDto): void {
  if (input.reference !== undefined) customer.reference = input.reference;
  if (input.email !== undefined) customer.email = input.email;
  if (input.username !== undefined) customer.username = input.username;
  if (input.full_name !== undefined) customer.fullName = input.full_name;
  if (input.metadata !== undefined) customer.metadata = input.metadata;
}

async function flushUnique(flush: () => Promise<void>): Promise<void> {
  try {
    await flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new InvalidRequest('reference', 'reference already belongs to another customer', 'resource_exists');
    }
    throw error;
  }
}
