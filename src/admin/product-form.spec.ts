import { readCreateForm, readUpdateForm, toFormParams } from './product-form';

describe('product form in major units', () => {
  it.each([
    [{ name: 'Case', amount: '5000.00', currency: 'amd' }, { name: 'Case', amount: 500000, currency: 'AMD' }],
    [{ name: 'Case', amount: '1000', currency: 'JPY', active: false }, { name: 'Case', amount: 1000, currency: 'JPY', active: false }],
    [{ name: 'Case', amount: '1.234', currency: 'BHD', spayonProductId: '7', description: '' }, { name: 'Case', amount: 1234, currency: 'BHD', spayon_product_id: 7, description: null }],
  ])('reads %p as %p', async (payload, dto) => {
    const result = await readCreateForm(payload);
    expect(result.errors).toBeNull();
    expect({ ...result.dto }).toEqual(dto);
  });

  it.each([
    [{ name: 'Case', amount: '12.345', currency: 'AMD' }, 'amount', '12.345 AMD has more decimals than AMD allows (2)'],
    [{ name: 'Case', amount: '-1', currency: 'AMD' }, 'amount', '"-1" is not a non-negative decimal amount'],
    [{ name: 'Case', amount: '', currency: 'AMD' }, 'amount', 'amount is required'],
    [{ name: 'Case', amount: '12', currency: 'ZZZ' }, 'currency', 'currency must be an ISO 4217 currency code'],
    [{ name: '', amount: '12', currency: 'USD' }, 'name', 'name must be longer than or equal to 1 characters'],
    [{ name: 'Case', amount: '12', currency: 'USD', spayonProductId: '0' }, 'spayonProductId', 'spayon_product_id must not be less than 1'],
    [{ name: 'Case', amount: '12', currency: 'USD', spayonProductId: 'abc' }, 'spayonProductId', 'spayon_product_id must not be less than 1'],
  ])('refuses %p with an error on %s', async (payload, field, message) => {
    const result = await readCreateForm(payload);
    expect(result.dto).toBeNull();
    expect(result.errors?.[field]).toEqual({ message });
  });

  it('an unknown currency is reported once, on the currency, not also on the amount', async () => {
    const result = await readCreateForm({ name: 'Case', amount: '12', currency: 'ZZZ' });
    expect(Object.keys(result.errors ?? {})).toEqual(['currency']);
  });

  it('an edit reads the amount in the product currency unless the form changes it', async () => {
    expect((await readUpdateForm({ amount: '6250.5' }, 'AMD')).dto).toEqual({ amount: 625050 });
    expect((await readUpdateForm({ amount: '6250', currency: 'JPY' }, 'AMD')).dto).toEqual({ amount: 6250, currency: 'JPY' });
  });

  it('shows stored minor units as major units', () => {
    expect(toFormParams({ amount: 500000, currency: 'AMD' })).toEqual({ amount: '5000.00', currency: 'AMD' });
    expect(toFormParams({ amount: 1000, currency: 'JPY' })).toEqual({ amount: '1000', currency: 'JPY' });
    expect(toFormParams({ amount: null, currency: null })).toEqual({ amount: null, currency: null });
  });

  it("shows the product's Spayon catalogue id as its own field, and none when the product has none", () => {
    expect(toFormParams({ amount: 500000, currency: 'AMD', 'providerProducts.spayon': 17, 'providerProducts.other': 'x' })).toMatchObject({ amount: '5000.00', spayonProductId: 17 });
    expect(toFormParams({ amount: 500000, currency: 'AMD', 'providerProducts.other': 'x' })).toMatchObject({ spayonProductId: null });
    expect(toFormParams({ amount: 500000, currency: 'AMD', providerProducts: {} })).toMatchObject({ spayonProductId: null });
  });
});
