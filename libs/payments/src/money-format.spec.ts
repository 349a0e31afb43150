import { formatMoney } from './money-format';
import { MoneyError } from './money';

describe('formatMoney', () => {
  it.each([
    [500000, 'AMD', '5,000.00 AMD'],
    [500000, 'amd', '5,000.00 AMD'],
    [5000, 'JPY', '¥5,000'],
    [0, 'JPY', '¥0'],
    [1050, 'USD', '$10.50'],
    [5, 'USD', '$0.05'],
    [123456789, 'EUR', '€1,234,567.89'],
    [99900, 'GBP', '£999.00'],
    [250000, 'RUB', '2,500.00 RUB'],
    [1234, 'BHD', '1.234 BHD'],
    [1000000, 'KRW', '1,000,000 KRW'],
    [Number.MAX_SAFE_INTEGER, 'USD', '$90,071,992,547,409.91'],
  ])('%i %s reads as %s', (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  it('reads every currency by its code with symbol: false', () => {
    expect(formatMoney(1050, 'usd', { symbol: false })).toBe('10.50 USD');
    expect(formatMoney(5000, 'JPY', { symbol: false })).toBe('5,000 JPY');
  });

  it('refuses what is not money rather than printing it', () => {
    expect(() => formatMoney(10.5, 'USD')).toThrow(MoneyError);
    expect(() => formatMoney(-1, 'USD')).toThrow(MoneyError);
    expect(() => formatMoney(100, 'XXX1')).toThrow(MoneyError);
  });
});
