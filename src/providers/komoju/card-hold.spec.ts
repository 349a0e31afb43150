import { cardHold } from './mapping';

describe('cardHold: which authorized KOMOJU payments are holds awaiting capture', () => {
  const created = '2026-12-03T10:00:00.000Z';
  // Seven days after the payment's creation (KOMOJU's hold length is NOT IN PUBLIC DOCS: paymux's assumption).
  const due = new Date('2026-12-10T10:00:00.000Z');
  it.each([
    ['an authorized card', { status: 'authorized', payment_details: { type: 'credit_card' }, created_at: created }, { captureBefore: due }],
    ['an authorized konbini reservation (the buyer still pays)', { status: 'authorized', payment_details: { type: 'konbini' }, created_at: created }, null],
    ['an authorized bank transfer', { status: 'authorized', payment_details: { type: 'bank_transfer' }, created_at: created }, null],
    ['an authorized pay-easy payment', { status: 'authorized', payment_details: { type: 'pay_easy' }, created_at: created }, null],
    ['a captured card', { status: 'captured', payment_details: { type: 'credit_card' }, created_at: created }, null],
    ['an authorized card without a creation time', { status: 'authorized', payment_details: { type: 'credit_card' } }, null],
  ] as const)('%s', (_label, payment, expected) => {
    expect(cardHold(payment as Parameters<typeof cardHold>[0])).toEqual(expected);
  });
});
