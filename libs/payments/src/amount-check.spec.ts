import { describeAmount, findAmountMismatch } from './amount-check';

describe('findAmountMismatch', () => {
  const session = { amount: 1000000, currency: 'AMD' };

  it.each([
    ['the same amount and currency', { amount: 1000000, currency: 'AMD' }, false],
    ['the same amount with the currency in lower case', { amount: 1000000, currency: 'amd' }, false],
    ['a smaller amount (a catalogue price below the session)', { amount: 100000, currency: 'AMD' }, true],
    ['a larger amount', { amount: 1000001, currency: 'AMD' }, true],
    ['the same number in another currency', { amount: 1000000, currency: 'USD' }, true],
    ['zero', { amount: 0, currency: 'AMD' }, true],
  ])('%s → mismatch: %s', (_name, reported, mismatch) => {
    expect(findAmountMismatch(session, reported)).toEqual(mismatch ? reported : null);
  });

  it('has nothing to compare when the report states no amount', () => {
    expect(findAmountMismatch(session, undefined)).toBeNull();
    expect(findAmountMismatch(session, null)).toBeNull();
  });

  it('has nothing to compare for a session without an amount (customer mode)', () => {
    expect(findAmountMismatch({ amount: null, currency: null }, { amount: 100, currency: 'JPY' })).toBeNull();
  });
});

describe('describeAmount', () => {
  it.each([
    [100000, 'AMD', '1000.00 AMD'],
    [1000, 'jpy', '1000 JPY'],
    [1234, 'BHD', '1.234 BHD'],
    [5, 'XXZ', '5 (minor units) XXZ'],
  ])('%s %s → %s', (amount, currency, text) => {
    expect(describeAmount(amount, currency)).toBe(text);
  });
});
