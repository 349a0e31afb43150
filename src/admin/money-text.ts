import { formatMoney } from '@paymux/payments';

/**
 * An amount in minor units as the panel shows it: major units with thousands separators and the
 * currency code, e.g. 500000 AMD → "5,000.00 AMD", 1000 JPY → "1,000 JPY" (`formatMoney` by code).
 * An amount the currency cannot hold is shown as it is stored.
 */
export function moneyText(amount: number, currency: string): string {
  try {
    return formatMoney(amount, currency, { symbol: false });
  } catch {
    return `${amount} (minor units) ${currency}`;
  }
}
