import { WIDGET } from '@paymux/smart-glocal';

export interface PayPageInput {
  /** Where the widget is served: `widgetBaseUrlFor(baseUrl)` (the simulator serves its own). */
  widgetBaseUrl: string;
  /** A fresh public token from `client.getToken` (it is short-lived: mint one per page view). */
  publicToken: string;
  /** Where the buyer goes back to the shop. */
  returnUrl: string;
  /** Page language, `en` by default. */
  locale?: string;
}

/**
 * The page paymux serves at `PUBLIC_URL/pay/:id` for a Smart Glocal session: it loads Smart
 * Glocal's payment widget and renders it with the session's public token (providers/smart-glocal.md,
 * "The hosted flow"). Pure: the caller fetches the token and sends the HTML.
 */
export function renderPayPage(input: PayPageInput): string {
  const base = input.widgetBaseUrl.replace(/\/+$/, '');
  const lang = /^[a-z]{2}$/.test(input.locale ?? '') ? input.locale! : 'en';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Payment</title>
<link rel="stylesheet" href="${escapeHtml(`${base}/${WIDGET.stylesheet}`)}">
<script src="${escapeHtml(`${base}/${WIDGET.script}`)}"></script>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}</style>
</head>
<body>
<main>
<div id="smgl-payment-form"></div>
<p><a href="${escapeHtml(input.returnUrl)}">Back to the shop</a></p>
</main>
<script>
(function () {
  var form = new window.${WIDGET.globalName}(${scriptString(input.publicToken)}, {
    container: document.getElementById('smgl-payment-form'),
    isCvcMasked: true,
    customerInteractionRedirect: { target: '_top' }
  });
  form.render();
})();
</script>
</body>
</html>
`;
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

/** A finished payment: back to the shop. */
export function renderReturnPage(returnUrl: string): string {
  return page(
    `<p>The payment is finished.</p><p><a href="${escapeHtml(returnUrl)}">Back to the shop</a></p>`,
    `<meta http-equiv="refresh" content="0;url=${escapeHtml(returnUrl)}">`,
  );
}

function page(body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
${head}
<title>Payment</title>
</head>
<body>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A JS string literal safe inside <script>: JSON with `<`, `>`, `&` and line separators escaped. */
function scriptString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
