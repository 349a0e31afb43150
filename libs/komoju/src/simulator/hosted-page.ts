import { formatMoney } from '@paymux/payments';
import { escapeHtml, htmlPage } from '@paymux/simulator-kit';
import type { KomojuPaymentType, KomojuSession } from '../types';

/** What the customer reads for each `payment_types` value. */
const KOMOJU_PAYMENT_TYPE_NAMES: Readonly<Record<KomojuPaymentType, string>> = {
  credit_card: 'Credit card',
  konbini: 'Konbini (convenience store)',
  bank_transfer: 'Bank transfer',
  pay_easy: 'Pay-easy',
  paypay: 'PayPay',
  linepay: 'LINE Pay',
  merpay: 'Merpay',
  rakutenpay: 'Rakuten Pay',
  paidy: 'Paidy',
  alipay: 'Alipay',
};

function paymentTypeName(type: string): string {
  return KOMOJU_PAYMENT_TYPE_NAMES[type as KomojuPaymentType] ?? type;
}

const HEADINGS: Record<KomojuSession['mode'], string> = {
  payment: 'Pay',
  customer: 'Save your payment details',
  customer_payment: 'Pay and save your payment details',
};

/**
 * The hosted page at `session_url`: the customer picks one of the offered payment types and pays
 * (or saves details, in customer mode), makes the attempt fail (they may try again), or leaves.
 */
export function renderHostedPage(session: KomojuSession, notice: string | null = null): ReturnType<typeof htmlPage> {
  const title = `KOMOJU session ${session.id}`;
  const lines: string[] = [`<h1>${escapeHtml(HEADINGS[session.mode])}</h1>`];
  if (session.amount !== null && session.currency !== null && session.mode !== 'customer') {
    lines.push(`<p class="amount">${escapeHtml(formatMoney(session.amount, session.currency))}</p>`);
  }
  if (session.line_items && session.line_items.length > 0) {
    lines.push('<ul>' + session.line_items.map((item) => `<li>${escapeHtml(item.description)} × ${item.quantity}</li>`).join('') + '</ul>');
  }
  if (notice) lines.push(`<p class="notice" role="alert">${escapeHtml(notice)}</p>`);
  const payment = session.payment;
  if (session.status === 'completed' && payment?.status === 'authorized' && payment.payment_deadline) {
    // A konbini / bank_transfer / pay_easy reservation: the customer pays at the store or bank later.
    lines.push(
      `<p class="status">Reserved (${escapeHtml(paymentTypeName(payment.payment_details?.type ?? ''))}): pay by ${escapeHtml(payment.payment_deadline)}.</p>`,
      `<form method="post" action="${escapeHtml(`${session.session_url}/pay-at-store`)}"><button type="submit">Pay at the store</button></form>`,
    );
    return htmlPage(title, lines.join('\n'));
  }
  if (session.status !== 'pending' || session.expired) {
    const state = session.expired && session.status === 'pending' ? 'expired' : session.status;
    lines.push(`<p class="status">This session is ${escapeHtml(state)}${payment ? ` (payment ${escapeHtml(payment.status)})` : ''}.</p>`);
    return htmlPage(title, lines.join('\n'));
  }
  const action = (what: string) => escapeHtml(`${session.session_url}/${what}`);
  const choices = session.payment_methods
    .map((method, i) => `<label><input type="radio" name="payment_type" value="${escapeHtml(method.type)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(paymentTypeName(method.type))}</label><br>`)
    .join('\n');
  const submit = session.mode === 'customer' ? 'Save' : 'Pay';
  lines.push(
    `<form method="post" action="${action('pay')}">${choices}<button type="submit" name="outcome" value="pay">${submit}</button></form>`,
    `<form method="post" action="${action('fail')}"><button type="submit">Fail this attempt</button></form>`,
    `<form method="post" action="${action('abandon')}"><button type="submit">Abandon and go back</button></form>`,
  );
  return htmlPage(title, lines.join('\n'));
}
