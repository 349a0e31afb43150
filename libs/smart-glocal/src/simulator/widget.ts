import { escapeHtml, htmlPage } from '@paymux/simulator-kit';
import { WIDGET } from '../types';

/**
 * The simulator's stand-in for Smart Glocal's payment widget (providers/smart-glocal.md, "The
 * hosted flow"): the same file names and the same global, `new SmglPaymentForm(publicToken,
 * { container, customerInteractionRedirect: { target } })` then `.render()`, as public
 * integration code uses it. The script posts the card to the simulator, never to the partner.
 */
export const WIDGET_PAY_PATH = '/widget/pay';

export function widgetScript(): string {
  return `(function () {
  'use strict';
  var current = document.currentScript;
  // The widget's own base URL: where this script came from, minus its file name.
  var src = current && current.src ? current.src.split('?')[0] : '';
  var base = src.substring(0, src.lastIndexOf('/'));
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function field(form, name, label, attrs) {
    var wrap = el('label', { 'class': 'smgl-field' }, label);
    var input = el('input', Object.assign({ name: name, required: 'required', autocomplete: 'off' }, attrs));
    wrap.appendChild(input);
    form.appendChild(wrap);
  }
  function ${WIDGET.globalName}(publicToken, options) {
    if (!(this instanceof ${WIDGET.globalName})) return new ${WIDGET.globalName}(publicToken, options);
    this.publicToken = String(publicToken);
    this.options = options || {};
    this.onPaymentSuccess = null;
    this.onPaymentFail = null;
  }
  ${WIDGET.globalName}.prototype.render = function () {
    var self = this;
    var container = this.options.container;
    if (typeof container === 'string') container = document.querySelector(container);
    if (!container) container = document.body;
    var form = el('form', { 'class': 'smgl-payment-form', novalidate: 'novalidate' });
    field(form, 'number', 'Card number', { inputmode: 'numeric', placeholder: '4242 4242 4242 4242' });
    field(form, 'expiration_month', 'Month (MM)', { inputmode: 'numeric', placeholder: '12', maxlength: '2' });
    field(form, 'expiration_year', 'Year (YY)', { inputmode: 'numeric', placeholder: '30', maxlength: '2' });
    field(form, 'security_code', 'CVC', { inputmode: 'numeric', type: this.options.isCvcMasked === false ? 'text' : 'password', maxlength: '4' });
    var message = el('p', { 'class': 'smgl-message', role: 'alert' });
    form.appendChild(el('button', { type: 'submit' }, 'Pay'));
    form.appendChild(message);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var card = {};
      ['number', 'expiration_month', 'expiration_year', 'security_code'].forEach(function (name) {
        card[name] = String(form.elements[name].value || '').replace(/\\s+/g, '');
      });
      message.textContent = 'Processing…';
      fetch(base + '${WIDGET_PAY_PATH}', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ public_token: self.publicToken, card: card })
      }).then(function (response) { return response.json(); }).then(function (answer) {
        if (answer.status !== 'ok') {
          message.textContent = answer.error ? answer.error.description : 'Payment failed';
          if (typeof self.onPaymentFail === 'function') self.onPaymentFail(answer.error);
          return;
        }
        if (typeof self.onPaymentSuccess === 'function') self.onPaymentSuccess(answer);
        var target = (self.options.customerInteractionRedirect || {}).target || '_self';
        if (target === '_blank') window.open(answer.redirect_url, '_blank');
        else if (target === '_top' && window.top) window.top.location.href = answer.redirect_url;
        else window.location.href = answer.redirect_url;
      }).catch(function (error) {
        message.textContent = 'Payment failed';
        if (typeof self.onPaymentFail === 'function') self.onPaymentFail({ code: 'network_error', description: String(error) });
      });
    });
    container.appendChild(form);
    return this;
  };
  window.${WIDGET.globalName} = ${WIDGET.globalName};
})();
`;
}

export function widgetStylesheet(): string {
  return `.smgl-payment-form{display:grid;gap:.5rem;max-width:22rem;font-family:system-ui,sans-serif}
.smgl-field{display:grid;gap:.25rem;font-size:.9rem}
.smgl-field input{font-size:1rem;padding:.4rem}
.smgl-payment-form button{font-size:1rem;padding:.5rem 1rem}
.smgl-message{min-height:1.2rem;color:#b91c1c}
`;
}

export function threeDsPage(paymentId: string, amountText: string) {
  const id = escapeHtml(paymentId);
  return htmlPage(
    '3-D Secure',
    `<h1>3-D Secure check</h1><p>Payment <code>${id}</code> for ${escapeHtml(amountText)} asks you to confirm it.</p>
<form method="post"><input type="hidden" name="result" value="pass"><button type="submit">Pass 3-D Secure</button></form>
<form method="post"><input type="hidden" name="result" value="fail"><button type="submit">Fail 3-D Secure</button></form>`,
  );
}

export function resultPage(sessionId: string, status: string) {
  return htmlPage('Payment', `<h1>Payment ${escapeHtml(status)}</h1><p>Session <code>${escapeHtml(sessionId)}</code>. You can close this page.</p>`);
}

/** The bank's page before 3-D Secure is asked for (the payment still waits for confirmation): reloads itself. */
export function waitingPage(sessionId: string) {
  return htmlPage('Payment', `<meta http-equiv="refresh" content="2"><h1>Processing</h1><p>Session <code>${escapeHtml(sessionId)}</code> is being processed.</p>`);
}
