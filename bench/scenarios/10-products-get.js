'use strict';

/** Read one product: API key check (cached), one primary-key select, serialisation. */
module.exports = {
  name: 'GET /v1/products/:id',
  baseline: 'GET',
  floor: true,
  async prepare({ api }) {
    const product = await api.post('/v1/products', { name: 'Bench product', amount: 1999, currency: 'USD', metadata: { sku: 'B-1' } });
    return { method: 'GET', path: `/v1/products/${product.id}` };
  },
};
