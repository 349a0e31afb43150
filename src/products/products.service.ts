import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { NotFound } from '@paymux/payments';
import { queryEntities } from '../database/statements';
import { pageLimit, toList } from '../http/pagination';
import { Session } from '../sessions/session.entity';
import { CreateProductDto, ListProductsQuery, ProductView, UpdateProductDto } from './dto/product.dto';
import { Product } from './product.entity';
import { catalogueId, SPAYON_CATALOGUE, withCatalogueId } from './provider-products';

export function renderProduct(product: Product): ProductView {
  return {
    id: product.id,
    object: 'product',
    name: product.name,
    description: product.description,
    amount: product.amount,
    currency: product.currency,
    active: product.active,
    spayon_product_id: catalogueId(product.providerProducts, SPAYON_CATALOGUE),
    metadata: product.metadata,
    created_at: product.createdAt.toISOString(),
    updated_at: product.updatedAt.toISOString(),
  };
}

// The hot paths' statements (see src/database/statements.ts); the rest go through the ORM.
const SELECT_PRODUCT = 'select * from products where id = ?';
const INSERT_PRODUCT =
  'insert into products (name, description, amount, currency, active, provider_products, metadata, created_at, updated_at) ' +
  'values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning *';

@Injectable()
export class ProductsService {
  constructor(private readonly em: EntityManager) {}

  /** One INSERT … RETURNING (a single statement needs no transaction of its own). */
  async create(input: CreateProductDto): Promise<Product> {
    const now = new Date();
    const [product] = await queryEntities(this.em, Product, INSERT_PRODUCT, [
      input.name,
      input.description ?? null,
      input.amount,
      input.currency,
      input.active ?? true,
      withCatalogueId({}, SPAYON_CATALOGUE, input.spayon_product_id ?? null),
      input.metadata ?? {},
      now,
      now,
    ]);
    return product;
  }

  async get(id: number): Promise<Product> {
    const [product] = Number.isSafeInteger(id) ? await queryEntities(this.em, Product, SELECT_PRODUCT, [id]) : [];
    if (!product) throw new NotFound('product', id);
    return product;
  }

  async list(query: ListProductsQuery) {
    const limit = pageLimit(query);
    const where: Record<string, unknown> = {};
    if (query.active !== undefined) where.active = query.active === 'true';
    if (query.currency !== undefined) where.currency = query.currency;
    if (query.starting_after !== undefined) where.id = { $lt: Number(query.starting_after) };
    const rows = await this.em.fork().find(Product, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
    return toList(rows, limit, renderProduct);
  }

  async update(id: number, input: UpdateProductDto): Promise<Product> {
    const em = this.em.fork();
    const product = await em.findOne(Product, { id });
    if (!product) throw new NotFound('product', id);
    if (input.name !== undefined) product.name = input.name;
    if (input.description !== undefined) product.description = input.description;
    if (input.amount !== undefined) product.amount = input.amount;
    if (input.currency !== undefined) product.currency = input.currency;
    if (input.active !== undefined) product.active = input.active;
    if (input.spayon_product_id !== undefined) product.providerProducts = withCatalogueId(product.providerProducts, SPAYON_CATALOGUE, input.spayon_product_id);
    if (input.metadata !== undefined) product.metadata = input.metadata;
    await em.flush();
    return product;
  }

  /** Deletes the product, or archives it (active=false) when sessions reference it. */
  async remove(id: number): Promise<ProductView> {
    return this.em.fork().transactional(async (em) => {
      const product = await em.findOne(Product, { id });
      if (!product) throw new NotFound('product', id);
      if ((await em.count(Session, { productId: id })) > 0) {
        product.active = false;
        await em.flush();
        return { ...renderProduct(product), deleted: false };
      }
      const view = renderProduct(product);
      await em.removeAndFlush(product);
      return { ...view, deleted: true };
    });
  }
}
