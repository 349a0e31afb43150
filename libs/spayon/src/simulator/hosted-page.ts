import { formatMoney, MoneyError, parseMajorUnits } from '@paymux/payments';
import { escapeHtml, htmlPage } from '@paymux/simulator-kit';
import { SPAYON_DECLINE_CODES, SpayonPaymentMethod } from '../types';
import type { SimulatorSession } from './simulator-session';

type Page = ReturnType<typeof htmlPage>;

/** What the buyer reads for each `availablePaymentMethods` value. */
const SPAYON_METHOD_NAMES: Readonly<Record<SpayonPaymentMethod, string>> = { visamaster: 'Visa / Mastercard', mir: 'Mir' };

/** The price (a string of major units) as money in its currency; as sent when it cannot be read. */
function priceText(session: Pick<SimulatorSession, 'price' | 'currency'>): string {
  try {
    return formatMoney(parseMajorUnits(session.price, session.currency), session.currency);
  } catch (error) {
    if (error instanceof MoneyError) return `${session.price} ${session.currency.toUpperCase()}`;
    throw error;
  }
}

/**
 * The buyer's page at `session_url`: pay, decline with a chosen code, or go back. Form actions
 * are relative so the page works mounted under any base path and behind any proxy.
 */
export function paymentPage(session: SimulatorSession): Page {
  const id = encodeURIComponent(session.id);
  const methods = session.availablePaymentMethods
    .map((method) => {
      const checked = method === (session.defaultPaymentMethod ?? session.availablePaymentMethods[0]) ? ' checked' : '';
      const name = SPAYON_METHOD_NAMES[method as SpayonPaymentMethod] ?? method;
      return `<label><input type="radio" name="method" value="${escapeHtml(method)}"${checked}> ${escapeHtml(name)}</label>`;
    })
    .join(' ');
  const codes = SPAYON_DECLINE_CODES.map(
    (entry) => `<option value="${escapeHtml(entry.code)}">${escapeHtml(`${entry.code} — ${entry.reasonEn} (${entry.source})`)}</option>`,
  ).join('');
  // Spayon keeps one decline reason per attempt within a session (Callbacks): the buyer may try again.
  const last = session.declineReasons[session.declineReasons.length - 1];
  const earlier = last
    ? `<p class="outcome" role="alert">Your payment was declined: ${escapeHtml(last.responseReasonEn)} (code ${escapeHtml(last.responseCode)}). You can try again.</p>`
    : '';
  const back = session.cancelUrl ? `<form method="post" action="${id}/back"><button type="submit" name="action" value="back">Back</button></form>` : '';
  return htmlPage(
    `Spayon — ${session.productName}`,
    `<h1>${escapeHtml(session.productName)}</h1>
<p class="amount">${escapeHtml(priceText(session))}</p>
${session.orderId ? `<p>Order ${escapeHtml(session.orderId)}</p>` : ''}${earlier}
<form method="post" action="${id}/pay"><p>${methods}</p><button type="submit" name="action" value="pay">${last ? 'Try again' : 'Pay'} ${escapeHtml(priceText(session))}</button></form>
<form method="post" action="${id}/decline">
<label>Decline code <select name="code">${codes}</select></label>
<label><input type="checkbox" name="retry" value="1"> let the buyer try again</label>
<button type="submit" name="action" value="decline">Decline</button></form>
${back}`,
  );
}

export function usedPage(session: SimulatorSession): Page {
  return { ...htmlPage('Spayon — session used', `<h1>This payment session has already been used</h1><p>Status: ${escapeHtml(session.status)}</p>`), status: 409 };
}

export function expiredPage(): Page {
  return { ...htmlPage('Spayon — session expired', '<h1>This payment session has expired</h1>'), status: 410 };
}

export function unknownSessionPage(): Page {
  return { ...htmlPage('Spayon — not found', '<h1>No such payment session</h1>'), status: 404 };
}
