import { PaymentProvider, ProviderCapabilities, ProviderRegistry } from '@paymux/payments';
import { chooseProvider, RoutableRequest } from './provider-routing';

function capabilitiesOnly(name: string, capabilities: Partial<ProviderCapabilities>): PaymentProvider {
  const unused = () => {
    throw new Error('routing must not call the provider');
  };
  return {
    name,
    capabilities: {
      currencies: ['USD'], locales: ['en'], paymentMethods: ['card'], modes: ['payment'],
      expiry: { minSeconds: 900, maxSeconds: 900, defaultSeconds: 900 }, cancel: false,
      ...capabilities,
    },
    validateRequest: unused, createSession: unused, fetchStatus: unused, parseWebhook: unused,
  };
}

describe('routing a session to a provider', () => {
  const registry = new ProviderRegistry();
  registry.register(capabilitiesOnly('spayon', { currencies: ['AMD', 'USD'], locales: ['en', 'hy', 'ru'], paymentMethods: ['visamaster', 'mir'] }));
  registry.register(capabilitiesOnly('komoju', {
    currencies: ['JPY', 'USD'], locales: ['ja', 'en'], paymentMethods: ['credit_card', 'konbini'],
    modes: ['payment', 'customer', 'customer_payment'], expiry: { minSeconds: 1, maxSeconds: 86400, defaultSeconds: 86400 },
  }));
  const order = ['spayon', 'komoju'];
  const base: RoutableRequest = { mode: 'payment', currency: 'USD', locale: null, paymentMethods: null, defaultPaymentMethod: null, expiresInSeconds: null };

  it.each([
    ['the first provider in order when both fit', {}, 'spayon'],
    ['the one that takes the currency', { currency: 'JPY' }, 'komoju'],
    ['the one that speaks the locale', { locale: 'ja' }, 'komoju'],
    ['the one that offers the methods', { paymentMethods: ['konbini'] }, 'komoju'],
    ['the one that has the mode', { mode: 'customer' as const, currency: null }, 'komoju'],
    ['the one whose expiry bounds fit', { expiresInSeconds: 3600 }, 'komoju'],
  ])('picks %s', (_, change, expected) => {
    expect(chooseProvider(registry, order, null, { ...base, ...change }).name).toBe(expected);
  });

  it('follows the configured order', () => {
    expect(chooseProvider(registry, ['komoju', 'spayon'], null, base).name).toBe('komoju');
  });

  it.each([
    ['currency', { currency: 'EUR' }],
    ['locale', { locale: 'de' }],
    ['payment_methods', { paymentMethods: ['visamaster', 'bitcoin'] }],
    ['default_payment_method', { defaultPaymentMethod: 'bitcoin' }],
    ['expires_in_seconds', { expiresInSeconds: 100 }],
    ['mode', { mode: 'customer_payment' as const }],
  ])('names %s when a chosen provider cannot do it', (param, change) => {
    expect(() => chooseProvider(registry, order, 'spayon', { ...base, ...change })).toThrow(expect.objectContaining({ param, httpStatus: 400 }));
  });

  it('refuses an unknown or unconfigured provider naming provider', () => {
    expect(() => chooseProvider(registry, order, 'paypal', base)).toThrow(expect.objectContaining({ param: 'provider' }));
  });

  it('explains when no provider fits', () => {
    expect(() => chooseProvider(registry, order, null, { ...base, currency: 'EUR' })).toThrow(expect.objectContaining({ code: 'no_provider_available', param: 'currency' }));
  });

  it('skips providers in the order that are not configured', () => {
    expect(chooseProvider(registry, ['smart_glocal', 'komoju'], null, base).name).toBe('komoju');
  });
});
