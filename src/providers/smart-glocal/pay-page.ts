import { formatMoney } from '@paymux/payments';
import { WIDGET } from '@paymux/smart-glocal';
import { buyerPage, escapeHtml } from '../../sessions/buyer-page';

/** What the buyer is paying for, shown above the widget and on the outcome. */
export interface PurchaseSummary {
  /** Minor units and currency; null only for sessions without an amount. */
  amount: number | null;
  currency: string | null;
  description: string | null;
  /** Who is paid: the shop's name as the buyer knows it. */
  merchant: string;
}

export interface PayPageInput {
  /** Where the widget is served: `widgetBaseUrlFor(baseUrl)` (the simulator serves its own). */
  widgetBaseUrl: string;
  /** A fresh public token from `client.getToken` (it is short-lived: mint one per page view). */
  publicToken: string;
  /** The buyer's way back to the shop without paying: paymux's return relay. */
  backUrl: string;
  purchase: PurchaseSummary;
  /** Page language, `en` by default. */
  locale?: string;
}

function purchaseHtml(purchase: PurchaseSummary): string {
  const amount = purchase.amount !== null && purchase.currency !== null ? `<p class="amount">${escapeHtml(formatMoney(purchase.amount, purchase.currency))}</p>` : '';
  const description = purchase.description ? `<p class="description">${escapeHtml(purchase.description)}</p>` : '';
  return `<p class="merchant">Pay ${escapeHtml(purchase.merchant)}</p>\n${amount}\n${description}`;
}

/**
 * The page paymux serves at `PUBLIC_URL/pay/:id` for a Smart Glocal session: it loads Smart
 * Glocal's payment widget and renders it with the session's public token (providers/smart-glocal.md,
 * "The hosted flow"). Pure: the caller fetches the token and sends the HTML.
 */
export function renderPayPage(input: PayPageInput): string {
  const base = input.widgetBaseUrl.replace(/\/+$/, '');
  const lang = /^[a-z]{2}$/.test(input.locale ?? '') ? input.locale! : 'en';
  const head = `<link rel="stylesheet" href="${escapeHtml(`${base}/${WIDGET.stylesheet}`)}">
<script src="${escapeHtml(`${base}/${WIDGET.script}`)}"></script>`;
  const body = `${purchaseHtml(input.purchase)}
<div id="smgl-payment-form"></div>
<p><a href="${escapeHtml(input.backUrl)}">Cancel and go back to the shop</a></p>
<script>
(function () {
  var form = new window.${WIDGET.globalName}(${scriptString(input.publicToken)}, {
    container: document.getElementById('smgl-payment-form'),
    isCvcMasked: true,
    customerInteractionRedirect: { target: '_top' }
  });
  form.render();
})();
</script>`;
  return buyerPage('Payment', body, head, lang);
}

/** The redirect a payment waiting for 3-D Secure carries (`customer_interaction.redirect`). */
export interface ThreeDsRedirect {
  url: string;
  method?: string;
  params?: Record<string, string>;
}

/**
 * NOT IN PUBLIC DOCS: how to render `action_required`'s redirect. The usual PaReq/MD hand-off:
 * a form that submits itself, `method` to `url` (which already carries `qs`), one hidden field
 * per `params` entry.
 */
export function renderThreeDsRedirect(redirect: ThreeDsRedirect): string {
  const method = (redirect.method ?? 'POST').toUpperCase() === 'GET' ? 'get' : 'post';
  const fields = Object.entries(redirect.params ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value))}">`)
    .join('\n');
  return page(
    `<form id="three-ds" method="${method}" action="${escapeHtml(redirect.url)}">
${fields}
<p>Your bank asks you to confirm this payment.</p>
<noscript><button type="submit">Continue to your bank</button></noscript>
</form>
<script>document.getElementById('three-ds').submit();</script>`,
  );
}

/** While the payment is processed (before 3-D Secure is asked for, or after it): reload in a moment. */
export function renderWaitingPage(): string {
  return page('<p>Your payment is being processed. This page refreshes by itself.</p>', '<meta http-equiv="refresh" content="2">');
}

/** A finished payment: back to the shop (through the relay, which picks return_url or cancel_url). */
export function renderReturnPage(backUrl: string): string {
  return page(
    `<p>The payment is finished.</p><p><a href="${escapeHtml(backUrl)}">Back to the shop</a></p>`,
    `<meta http-equiv="refresh" content="0;url=${escapeHtml(backUrl)}">`,
  );
}

export interface OutcomeInput {
  /**
   * `declined`: the payment failed; `closed`: the session is over (expired or cancelled) without
   * one; `unsettled`: paymux failed it although money may have moved (the provider reported
   * another amount or currency): the buyer is not told that nothing was taken.
   */
  outcome: 'declined' | 'closed' | 'unsettled';
  /** The provider's reason, for a decline. */
  reason?: string | null;
  backUrl: string;
  purchase: PurchaseSummary;
}

/**
 * A payment that did not go through, told to the buyer instead of a silent return to the shop.
 * No retry on this page: a failed payment ends the Smart Glocal session `cancelled`, a final
 * status (providers/smart-glocal.md, "Objects and statuses"), so a new attempt needs a new session
 * from the shop.
 */
export function renderOutcomePage(input: OutcomeInput): string {
  const texts = {
    declined: ['Payment declined', 'No money was taken. To try again, go back to the shop and start a new payment.'],
    closed: ['This payment is no longer open', 'No money was taken.'],
    unsettled: ['Payment not completed', 'The shop has been told and will settle this payment with you.'],
  } as const;
  const [heading, next] = texts[input.outcome];
  const reason = input.outcome === 'declined' && input.reason ? `<p>${escapeHtml(input.reason)}</p>` : '';
  return page(
    `${purchaseHtml(input.purchase)}
<div class="outcome" role="alert"><h1>${heading}</h1>${reason}<p>${next}</p></div>
<p><a class="button" href="${escapeHtml(input.backUrl)}">Back to the shop</a></p>`,
  );
}

function page(body: string, head = ''): string {
  return buyerPage('Payment', body, head);
}

/** A JS string literal safe inside <script>: JSON with `<`, `>`, `&` and line separators escaped. */
function scriptString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
