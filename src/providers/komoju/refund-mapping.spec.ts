import { InvalidRequest } from '@paymux/payments';
import { toKomojuRefundBody, toRefundReports } from './refund-mapping';

const request = (fields: Partial<Parameters<typeof toKomojuRefundBody>[0]> = {}) => ({ refundId: 're_01JDREFUND', amount: 300, currency: 'JPY', reason: null, ...fields });

describe('KOMOJU refund mapping', () => {
  it.each<[string, Parameters<typeof toKomojuRefundBody>[0], object]>([
    ['JPY amount as is, the refund id as the reference', request(), { amount: 300, description: 'paymux refund re_01JDREFUND' }],
    ['USD cents as is, the reason after the reference', request({ currency: 'usd', amount: 1050, reason: 'damaged' }), { amount: 1050, description: 'paymux refund re_01JDREFUND: damaged' }],
  ])('%s', (_name, input, body) => {
    expect(toKomojuRefundBody(input)).toEqual(body);
  });

  it('refuses a currency KOMOJU does not take rather than guessing its unit', () => {
    expect(() => toKomojuRefundBody(request({ currency: 'GBP' }))).toThrow(InvalidRequest);
  });

  it('reads every refund entry of a Payment, finding paymux\'s refund id in its description', () => {
    const payment = {
      currency: 'JPY',
      refunds: [
        { id: 'rf1', amount: 300, currency: 'JPY', description: 'paymux refund re_01JDREFUND: damaged', created_at: '2026-12-03T10:00:00Z' },
        { id: 'rf2', amount: 200, description: 'made in the dashboard', created_at: '2026-12-03T10:01:00Z' },
        { id: 42, amount: 1 },
        null,
      ],
    };
    expect(toRefundReports(payment)).toEqual([
      { providerRefundId: 'rf1', status: 'succeeded', providerStatus: 'refunded', amount: 300, currency: 'JPY', chargeback: false, reference: 're_01JDREFUND' },
      { providerRefundId: 'rf2', status: 'succeeded', providerStatus: 'refunded', amount: 200, currency: 'JPY', chargeback: false, reference: null },
    ]);
    expect(toRefundReports(null)).toEqual([]);
    expect(toRefundReports({ currency: 'JPY', refunds: 'none' })).toEqual([]);
  });
});
