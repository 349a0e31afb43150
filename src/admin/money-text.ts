import { toMajorUnitString } from '@paymux/payments';

/**
 * An amount in minor units as a person reads it: major units with thousands separators and the
 * currency code, e.g. 500000 AMD → "5,000.00 AMD", 1000 JPY → "1,000 JPY". Integer arithmetic
 * only (the digits come from toMajorUnitString), never a float.
 */
export function moneyText(amount: number, currency: string): string {
  let major: string;
  try {
    major = toMajorUnitString(amount, currency);
  } catch {
    return `${amount} (minor units) ${currency}`;
  }
  const [whole, fraction] = major.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${fraction === undefined ? grouped : `${grouped}.${fraction}`} ${currency.toUpperCase()}`;
}
