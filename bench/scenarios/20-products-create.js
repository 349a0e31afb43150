'use strict';

/** Create a product: JSON parsing, DTO validation, one insert in a transaction. */
module.exports = {
  name: 'POST /v1/products',
  baseline: 'POST',
  floor: true,
  async prepare() {
    return {
      method: 'POST',
      path: '/v1/products',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench product', description: 'A product', amount: 1999, currency: 'USD', metadata: { sku: 'B-1' } }),
    };
  },
};
