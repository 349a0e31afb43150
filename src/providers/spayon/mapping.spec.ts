import { InvalidRequest, ProviderError } from '@paymux/payments';
import { SPAYON_DECLINE_CODES } from '@paymux/spayon';
import { fromSpayonPrice, toFailure, toSpayonCreateBody, toSpayonLanguage, toSpayonPrice, toStatusReport, toUnifiedStatus } from './mapping';
import { unifiedCustomer, unifiedProduct, unifiedRequest } from './unified-request.fixture';

describe('Spayon mapping', () => {
  describe('status', () => {
    it.each([
      ['pending', 'open'],
      ['paid', 'succeeded'],
      ['failed', 'failed'],
      ['expired', 'expired'],
    ] as const)('Spayon %s is paymux %s', (spayon, unified) => {
      expect(toUnifiedStatus(spayon)).toBe(unified);
    });

    it('a failed report carries the failure, other reports none', () => {
      const reasons = [{ transactionId: 161, responseCode: '1A', responseReasonEn: '3D-Secure authentication failed' }];
      expect(toStatusReport({ sessionId: 's1', status: 'failed', declineReasons: reasons })).toEqual({
        providerSessionId: 's1',
        status: 'failed',
        providerStatus: 'failed',
        failure: { code: '1A', message: '3D-Secure authentication failed', source: 'CLIENT' },
        amount: null,
      });
      expect(toStatusReport({ sessionId: 's1', status: 'paid' })).toEqual({ providerSessionId: 's1', status: 'succeeded', providerStatus: 'paid', failure: null, amount: null });
    });

    it.each([
      ['"5000.00" AMD', '5000.00', 'AMD', { amount: 500000, currency: 'AMD' }],
      ['"10" amd (lower case)', '10', 'amd', { amount: 1000, currency: 'AMD' }],
      ['"10.5" USD', '10.5', 'USD', { amount: 1050, currency: 'USD' }],
      ['a number 1000', 1000, 'AMD', { amount: 100000, currency: 'AMD' }],
    ])('reports the price Spayon states, %s, as the amount it charges', (_name, price, currency, amount) => {
      expect(toStatusReport({ sessionId: 's1', status: 'paid', price, currency }).amount).toEqual(amount);
    });

    it.each([
      ['more decimals than the currency has', '10.555', 'AMD'],
      ['a price that is not a number', 'ten', 'AMD'],
      ['a price without a currency', '10', undefined],
      ['a currency without a price', undefined, 'AMD'],
      ['a currency ISO 4217 does not list', '10', 'XYZ'],
    ])('refuses a price it cannot read exactly (%s) instead of guessing', (_name, price, currency) => {
      expect(() => toStatusReport({ sessionId: 's1', status: 'paid', price, currency })).toThrow(ProviderError);
    });
  });

  describe('decline reason → failure', () => {
    it.each([
      ['05', 'BANK'],
      ['14', 'CLIENT'],
      ['1A', 'CLIENT'],
      ['51', 'BANK'],
      ['SP-01', 'ACQUIRER'],
      ['SP-02', 'ACQUIRER'],
    ])('code %s comes from %s', (code, source) => {
      expect(toFailure([{ transactionId: 1, responseCode: code, responseReasonEn: 'reason' }])).toEqual({ code, message: 'reason', source });
    });

    it('covers every decline code the library lists', () => {
      for (const entry of SPAYON_DECLINE_CODES) {
        expect(toFailure([{ transactionId: 1, responseCode: entry.code, responseReasonEn: entry.reasonEn }]).source).toBe(entry.source);
      }
    });

    it('keeps an unknown code as it comes, with no source', () => {
      expect(toFailure([{ transactionId: 1, responseCode: 'Z9', responseReasonEn: 'Something new' }])).toEqual({ code: 'Z9', message: 'Something new', source: null });
    });

    it('takes the last declined attempt', () => {
      const failure = toFailure([
        { transactionId: 160, responseCode: '51', responseReasonEn: 'Insufficient funds' },
        { transactionId: 161, responseCode: '1A', responseReasonEn: '3D-Secure authentication failed' },
      ]);
      expect(failure.code).toBe('1A');
    });

    it('a failure without decline reasons still says it failed', () => {
      expect(toFailure(undefined)).toMatchObject({ code: 'failed', source: null });
      expect(toFailure([])).toMatchObject({ code: 'failed', source: null });
    });
  });

  describe('money', () => {
    it.each([
      [100000, 'AMD', 1000, '1000'],
      [500000, 'AMD', 5000, '5000'],
      [123456, 'RUB', 1234.56, '1234.56'],
      [1050, 'USD', 10.5, '10.5'],
      [5, 'EUR', 0.05, '0.05'],
      [99, 'GBP', 0.99, '0.99'],
      [900719925474099, 'USD', 9007199254740.99, '9007199254740.99'],
    ])('%i minor %s is the price %d, sent as %s', (amount, currency, price, json) => {
      expect(toSpayonPrice(amount, currency)).toBe(price);
      expect(JSON.stringify(toSpayonPrice(amount, currency))).toBe(json);
    });

    it.each([
      [0, 'USD', 'greater than 0'],
      [-100, 'USD', 'cannot be sent'],
      [9007199254740991, 'USD', 'cannot be expressed exactly'],
    ])('refuses %i %s rather than sending a different amount', (amount, currency, message) => {
      const attempt = () => toSpayonPrice(amount, currency);
      expect(attempt).toThrow(InvalidRequest);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (error) {
        expect((error as InvalidRequest).param).toBe('amount');
      }
    });

    it.each([
      ['5000.00', 'AMD', 500000],
      ['10', 'AMD', 1000],
      ['1234.56', 'RUB', 123456],
      ['10.5', 'USD', 1050],
      ['0.29', 'EUR', 29],
      ['0.99', 'GBP', 99],
    ])('reads the status price %p %s as %i minor units', (price, currency, amount) => {
      expect(fromSpayonPrice(price, currency)).toBe(amount);
    });

    it('refuses a status price it cannot read exactly', () => {
      expect(() => fromSpayonPrice('10.555', 'USD')).toThrow(ProviderError);
      expect(() => fromSpayonPrice('ten', 'USD')).toThrow(ProviderError);
    });
  });

  describe('language', () => {
    it.each([
      ['en', 'en'],
      ['hy', 'hy'],
      ['ru', 'ru'],
      ['hy-AM', 'hy'],
      ['RU', 'ru'],
    ])('locale %s is language %s', (locale, language) => {
      expect(toSpayonLanguage(locale)).toBe(language);
    });

    it('refuses a locale Spayon has no page for', () => {
      expect(() => toSpayonLanguage('de')).toThrow(expect.objectContaining({ param: 'locale' }));
    });
  });

  describe('create body', () => {
    it('a product with a Spayon product id uses the product_id option', () => {
      const body = toSpayonCreateBody(unifiedRequest({ product: unifiedProduct(), description: null }));
      expect(body).toEqual({
        product_id: 17,
        callback_url: 'https://paymux.example/v1/webhooks/spayon',
        return_url: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST',
        cancel_url: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST',
      });
    });

    it('a custom purchase uses the custom option with every optional field filled', () => {
      const body = toSpayonCreateBody(
        unifiedRequest({
          amount: 1050,
          currency: 'usd',
          cancelUrl: 'https://shop.example/cart',
          customer: unifiedCustomer(),
          orderId: 'ORDER_123456',
          paymentMethods: ['visamaster', 'mir'],
          defaultPaymentMethod: 'visamaster',
          locale: 'hy',
        }),
      );
      expect(body).toEqual({
        product_name: 'Custom Product',
        price: 10.5,
        currency: 'USD',
        callback_url: 'https://paymux.example/v1/webhooks/spayon',
        // The relay for both: it sends the buyer on to the merchant's return_url or cancel_url.
        return_url: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST',
        cancel_url: 'https://paymux.example/v1/return/sess_01JD000000000000000000TEST',
        email: 'user@example.com',
        username: 'john_doe',
        full_name: 'John Doe',
        order_id: 'ORDER_123456',
        availablePaymentMethods: ['visamaster', 'mir'],
        defaultPaymentMethod: 'visamaster',
        language: 'hy',
      });
    });

    it.each([
      ['no catalogue id at all', {}],
      ["only another provider's catalogue id", { other_provider: 17 }],
    ])('a product with %s is sent as a custom product with its name and price', (_case, providerProducts) => {
      const body = toSpayonCreateBody(
        unifiedRequest({ product: unifiedProduct({ providerProducts, amount: 250000 }), amount: null, currency: null, description: null }),
      );
      expect(body).toMatchObject({ product_name: 'iPhone 16 Pro case', price: 2500, currency: 'AMD' });
      expect(body).not.toHaveProperty('product_id');
    });

    it.each([
      [{ description: null, orderId: 'ORDER_9' }, 'Order ORDER_9'],
      [{ description: null, orderId: null }, 'Payment sess_01JDTEST'],
    ])('names a purchase without description after what it has (%p)', (change, name) => {
      expect(toSpayonCreateBody(unifiedRequest(change))).toMatchObject({ product_name: name });
    });

    it.each([
      ['currency', { currency: 'JPY' }],
      ['payment_methods', { paymentMethods: ['paypal'] }],
      ['default_payment_method', { defaultPaymentMethod: 'amex' }],
      ['default_payment_method', { paymentMethods: ['mir'], defaultPaymentMethod: 'visamaster' }],
      ['locale', { locale: 'fr' }],
      ['mode', { mode: 'customer' as const }],
      ['amount', { amount: null }],
      ['amount', { amount: 0 }],
    ])('refuses a bad %s', (param, change) => {
      expect(() => toSpayonCreateBody(unifiedRequest(change))).toThrow(expect.objectContaining({ param }));
    });
  });
});
