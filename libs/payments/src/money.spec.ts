import { currencyExponent, MoneyError, normalizeCurrency, parseMajorUnits, toMajorUnitString } from './money';

describe('money', () => {
  it.each([
    ['USD', 2], ['AMD', 2], ['RUB', 2], ['EUR', 2], ['GBP', 2], ['JPY', 0], ['KRW', 0], ['BHD', 3], ['CLF', 4],
  ])('knows the ISO 4217 exponent of %s is %i', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('accepts any case and answers upper case, rejects codes ISO 4217 does not list', () => {
    expect(normalizeCurrency('amd')).toBe('AMD');
    expect(() => normalizeCurrency('XYZ')).toThrow(MoneyError);
  });

  it.each([
    [1050, 'USD', '10.50'], [5, 'USD', '0.05'], [0, 'USD', '0.00'], [500000, 'AMD', '5000.00'],
    [1000, 'JPY', '1000'], [1234, 'BHD', '1.234'], [9007199254740991, 'USD', '90071992547409.91'],
  ])('writes %i %s as %s major units, exactly', (amount, currency, major) => {
    expect(toMajorUnitString(amount, currency)).toBe(major);
  });

  it.each([
    ['5000.00', 'AMD', 500000], ['10', 'AMD', 1000], ['0.1', 'USD', 10], ['10.5', 'USD', 1050],
    ['1000', 'JPY', 1000], ['1000.0', 'JPY', 1000], [10.25, 'EUR', 1025], ['0.29', 'USD', 29],
  ])('reads %p %s as %i minor units without float error', (major, currency, amount) => {
    expect(parseMajorUnits(major, currency)).toBe(amount);
  });

  it.each([['10.555', 'USD'], ['10.5', 'JPY'], ['-1', 'USD'], ['1e3', 'USD'], ['abc', 'USD'], ['99999999999999999', 'USD']])(
    'refuses %p %s rather than rounding',
    (major, currency) => {
      expect(() => parseMajorUnits(major, currency)).toThrow(MoneyError);
    },
  );

  it('refuses negative and fractional minor amounts', () => {
    expect(() => toMajorUnitString(-1, 'USD')).toThrow(MoneyError);
    expect(() => toMajorUnitString(1.5, 'USD')).toThrow(MoneyError);
  });
});
