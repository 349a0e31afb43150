import { toMajorUnitString } from './money';
import type { ReportedAmount } from './provider';

/**
 * No amount is taken on trust: what a provider reports charging is compared with what paymux
 * asked for. Returns the reported amount when it differs in amount or currency, else null.
 * A session without an amount (customer mode) or a report that states none has nothing to compare.
 */
export function findAmountMismatch(
  expected: { readonly amount: number | null; readonly currency: string | null },
  reported: ReportedAmount | null | undefined,
): ReportedAmount | null {
  if (!reported || expected.amount === null || expected.currency === null) return null;
  const sameCurrency = reported.currency.toUpperCase() === expected.currency.toUpperCase();
  return sameCurrency && reported.amount === expected.amount ? null : reported;
}

/** "1000.00 AMD" where the currency is known, else the raw minor units: for messages and logs. */
export function describeAmount(amount: number, currency: string): string {
  try {
    return `${toMajorUnitString(amount, currency)} ${currency.toUpperCase()}`;
  } catch {
    return `${amount} (minor units) ${currency}`;
  }
}
