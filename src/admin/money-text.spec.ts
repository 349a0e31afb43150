import { moneyText } from './money-text';

describe('moneyText', () => {
  it.each([
    [500000, 'AMD', '5,000.00 AMD'],
    [1000000, 'usd', '10,000.00 USD'],
    [5, 'USD', '0.05 USD'],
    [0, 'USD', '0.00 USD'],
    [1000, 'JPY', '1,000 JPY'],
    [999, 'JPY', '999 JPY'],
    [123456789012, 'USD', '1,234,567,890.12 USD'],
    [1234567, 'KWD', '1,234.567 KWD'],
  ])('%s %s → %s', (amount, currency, text) => {
    expect(moneyText(amount, currency)).toBe(text);
  });

  it('says minor units when the currency is unknown', () => {
    expect(moneyText(100, 'ZZZ')).toBe('100 (minor units) ZZZ');
  });
});
