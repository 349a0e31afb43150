import { toMajorUnitString } from './money';

/**
 * Currencies a buyer reads by their symbol in front of the amount; every other one reads as the
 * amount followed by its ISO code, which no buyer can mistake (`5,000.00 AMD`).
 */
const SYMBOLS: Readonly<Record<string, string>> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

/**
 * Minor units as a buyer reads money, exactly (no floats): (500000, AMD) → "5,000.00 AMD",
 * (5000, JPY) → "¥5,000", (1050, USD) → "$10.50", (1234, BHD) → "1.234 BHD". With
 * `symbol: false` every currency reads by its code ("10.50 USD"), as in the admin panel.
 */
export function formatMoney(amount: number, currency: string, options: { symbol?: boolean } = {}): string {
  const code = currency.toUpperCase();
  const [whole, fraction] = toMajorUnitString(amount, code).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  const symbol = options.symbol === false ? undefined : SYMBOLS[code];
  return symbol ? `${symbol}${number}` : `${number} ${code}`;
}
