import { escapeHtml, htmlPage } from '@paymux/simulator-kit';
import { SPAYON_DECLINE_CODES } from '../types';
import type { SimulatorSession } from './simulator-session';

type Page = ReturnType<typeof htmlPage>;

/**
 * The buyer's page at `session_url`: pay, decline with a chosen code, or go back. Form actions
 * are relative so the page works mounted under any base path and behind any proxy.
 */
export function paymentPage(session: SimulatorSession): Page {
  const id = encodeURIComponent(session.id);
  const methods = session.availablePaymentMethods
    .map((method) => {
      const checked = method === (session.defaultPaymentMethod ?? session.availablePaymentMethods[0]) ? ' checked' : '';
      return `<label><input type="radio" name="method" value="${escapeHtml(method)}"${checked}> ${escapeHtml(method)}</label>`;
    })
    .join(' ');
  const codes = SPAYON_DECLINE_CODES.map(
    (entry) => `<option value="${escapeHtml(entry.code)}">${escapeHtml(`${entry.code} — ${entry.reasonEn} (${entry.source})`)}</option>`,
  ).join('');
  const earlier = session.declineReasons.length
    ? `<p>Declined attempts so far: ${session.declineReasons.map((r) => escapeHtml(r.responseCode)).join(', ')}</p>`
    : '';
  const back = session.cancelUrl ? `<form method="post" action="${id}/back"><button type="submit" name="action" value="back">Back</button></form>` : '';
  return htmlPage(
    `Spayon — ${session.productName}`,
    `<h1>${escapeHtml(session.productName)}</h1>
<p class="amount">${escapeHtml(session.price)} ${escapeHtml(session.currency)}</p>
${session.orderId ? `<p>Order ${escapeHtml(session.orderId)}</p>` : ''}${earlier}
<form method="post" action="${id}/pay"><p>${methods}</p><button type="submit" name="action" value="pay">Pay</button></form>
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
