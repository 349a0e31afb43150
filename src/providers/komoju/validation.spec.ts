import { InvalidRequest } from '@paymux/payments';
import { unifiedCustomer, unifiedRequest } from './komoju.fixtures';
import { validateKomojuRequest } from './validation';

describe('validateKomojuRequest', () => {
  it.each<[string, Parameters<typeof unifiedRequest>[0], string]>([
    ['customer mode with an amount', { mode: 'customer', amount: 1000, customer: unifiedCustomer() }, 'amount'],
    ['customer_payment without a customer', { mode: 'customer_payment' }, 'customer'],
    ['payment mode without an amount', { amount: null }, 'amount'],
    ['an amount over int32', { amount: 2_147_483_648 }, 'amount'],
    ['a currency KOMOJU does not take', { currency: 'GBP' }, 'currency'],
    ['payment mode without a currency', { currency: null }, 'currency'],
    ['an unknown payment type', { paymentMethods: ['credit_card', 'cash'] }, 'payment_methods'],
    ['an unknown default payment type', { defaultPaymentMethod: 'cash' }, 'default_payment_method'],
    ['an unknown locale', { locale: 'fr' }, 'locale'],
    ['expiry of 0 s', { expiresInSeconds: 0 }, 'expires_in_seconds'],
    ['expiry over 24 h', { expiresInSeconds: 86_401 }, 'expires_in_seconds'],
    ['a fractional expiry', { expiresInSeconds: 1.5 }, 'expires_in_seconds'],
    ['a metadata key over 30 characters', { metadata: { ['k'.repeat(31)]: 'v' } }, 'metadata'],
    ['a metadata value over 2000 characters', { metadata: { k: 'v'.repeat(2001) } }, 'metadata'],
    ['the reserved metadata key', { metadata: { paymux_session_id: 'x' } }, 'metadata'],
  ])('rejects %s naming %s', (_, overrides, param) => {
    const attempt = () => validateKomojuRequest(unifiedRequest(overrides));
    expect(attempt).toThrow(InvalidRequest);
    expect(attempt).toThrow(expect.objectContaining({ param, httpStatus: 400 }));
  });

  it.each<[string, Parameters<typeof unifiedRequest>[0]]>([
    ['JPY payment', {}],
    ['USD payment', { currency: 'USD', amount: 1050 }],
    ['each locale', { locale: 'ko' }],
    ['the expiry bounds', { expiresInSeconds: 1 }],
    ['the maximum expiry', { expiresInSeconds: 86_400 }],
    ['customer mode without amount', { mode: 'customer', amount: null, currency: null, customer: unifiedCustomer() }],
    ['customer_payment with a customer', { mode: 'customer_payment', customer: unifiedCustomer() }],
    ['metadata at the limits', { metadata: { ['k'.repeat(30)]: 'v'.repeat(2000) } }],
  ])('accepts %s', (_, overrides) => {
    expect(() => validateKomojuRequest(unifiedRequest(overrides))).not.toThrow();
  });
});
