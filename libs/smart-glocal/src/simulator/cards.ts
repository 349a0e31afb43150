import type { BankCard, MaskedCardPaymentDetails, PaymentFailure } from '../types';

/**
 * Test cards the simulator understands. Any other Luhn-valid number pays without 3-D Secure.
 * Card data is only read here to decide an outcome and to mask it; it is never stored.
 */
export const TEST_CARDS = {
  succeeds: '4242424242424242',
  requires3ds: '4000000000003220',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
} as const;

export type CardOutcome = { kind: 'succeed' } | { kind: '3ds' } | { kind: 'fail'; failure: PaymentFailure };

export const DECLINES: Readonly<Record<string, PaymentFailure>> = {
  [TEST_CARDS.declined]: { code: 'card_declined', description: 'The card was declined by the issuer' },
  [TEST_CARDS.insufficientFunds]: { code: 'insufficient_funds', description: 'The card has insufficient funds' },
};

export const THREE_DS_FAILED: PaymentFailure = { code: 'three_d_secure_failed', description: 'The buyer did not pass 3-D Secure' };

export function cardOutcome(card: BankCard): CardOutcome {
  if (card.number === TEST_CARDS.requires3ds) return { kind: '3ds' };
  const failure = DECLINES[card.number];
  return failure ? { kind: 'fail', failure } : { kind: 'succeed' };
}

/**
 * Checks the card's shape; the answer names the field, never its value.
 * Returns the name of the first bad field, or null.
 */
export function invalidCardField(card: unknown, now: Date): string | null {
  if (!isObject(card)) return 'payment_details.card.bank_card';
  const { number, expiration_month, expiration_year, security_code } = card;
  if (typeof number !== 'string' || !/^\d{12,19}$/.test(number) || !luhn(number)) return 'payment_details.card.bank_card.number';
  if (typeof expiration_month !== 'string' || !/^(0[1-9]|1[0-2])$/.test(expiration_month)) return 'payment_details.card.bank_card.expiration_month';
  if (typeof expiration_year !== 'string' || !/^\d{2}$/.test(expiration_year)) return 'payment_details.card.bank_card.expiration_year';
  const expiry = (2000 + Number(expiration_year)) * 12 + Number(expiration_month);
  if (expiry < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) return 'payment_details.card.bank_card.expiration_year';
  if (typeof security_code !== 'string' || !/^\d{3,4}$/.test(security_code)) return 'payment_details.card.bank_card.security_code';
  return null;
}

export function maskCard(card: BankCard): MaskedCardPaymentDetails {
  return { type: 'card', card: { brand: brandOf(card.number), last4: card.number.slice(-4) } };
}

function brandOf(number: string): string {
  if (number.startsWith('4')) return 'visa';
  if (/^220[0-4]/.test(number)) return 'mir';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  return 'unknown';
}

function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
