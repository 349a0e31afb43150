import { InvalidRequest } from '@paymux/payments';
import type { Session } from '@paymux/smart-glocal';
import { toRefundReports, toRefundStatus, toSessionRefundRequest } from './refund-mapping';

describe('Smart Glocal refund mapping', () => {
  it('sends amount_details in minor units with a lower-case code, and paymux\'s refund id in metadata', () => {
    expect(toSessionRefundRequest('ps_1', { refundId: 're_1', amount: 1000, currency: 'USD', reason: 'damaged' })).toEqual({
      session_id: 'ps_1', amount_details: { amount: 1000, currency: 'usd' }, metadata: { paymux_refund_id: 're_1' },
    });
  });

  it.each([[0], [-1], [1.5]])('refuses the amount %p', (amount) => {
    expect(() => toSessionRefundRequest('ps_1', { refundId: 're_1', amount, currency: 'USD', reason: null })).toThrow(InvalidRequest);
  });

  it('refuses a currency paymux does not offer through Smart Glocal', () => {
    expect(() => toSessionRefundRequest('ps_1', { refundId: 're_1', amount: 100, currency: 'JPY', reason: null })).toThrow(InvalidRequest);
  });

  it.each([['accepted', 'succeeded'], ['in_progress', 'pending'], ['something_new', 'pending']])('refund status %s is %s', (status, unified) => {
    expect(toRefundStatus(status)).toBe(unified);
  });

  it('reads the refunds and chargebacks of the succeeded payment', () => {
    const session = {
      id: 'ps_1', status: 'accepted', created_at: '', updated_at: '',
      acquiring_payments: [
        { id: 'pm_0', status: 'failed', amount_details: { amount: 2500, currency: 'usd' } },
        {
          id: 'pm_1', status: 'succeeded', amount_details: { amount: 2500, currency: 'usd' },
          refunds: [
            { id: 'rf_1', status: 'accepted', is_chargeback: false, amount_details: { amount: 1000, currency: 'usd' } },
            { id: 'rf_2', status: 'in_progress', amount_details: { amount: 500, currency: 'usd' } },
            { id: 'rf_3', status: 'accepted', is_chargeback: true },
          ],
        },
      ],
    } as unknown as Session;
    expect(toRefundReports(session)).toEqual([
      { providerRefundId: 'rf_1', status: 'succeeded', providerStatus: 'accepted', amount: 1000, currency: 'USD', chargeback: false, reference: null },
      { providerRefundId: 'rf_2', status: 'pending', providerStatus: 'in_progress', amount: 500, currency: 'USD', chargeback: false, reference: null },
      // A chargeback without amount_details is of the whole payment.
      { providerRefundId: 'rf_3', status: 'succeeded', providerStatus: 'accepted', amount: 2500, currency: 'USD', chargeback: true, reference: null },
    ]);
  });
});
