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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A JS string literal safe inside <script>: JSON with `<`, `>`, `&` and line separators escaped. */
function scriptString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
