import { redirect, SimRequest, SimResponse, SimulatorHttp } from '@paymux/simulator-kit';
import { BankCard, Session, WIDGET } from '../types';
import { cardOutcome, invalidCardField } from './cards';
import { formatMoney, type Clock } from '@paymux/payments';
import { PaymentFlow, THREE_DS_PATH } from './payment-flow';
import { resultPage, threeDsPage, waitingPage, WIDGET_PAY_PATH, widgetScript, widgetStylesheet } from './widget';
import { corsHeaders, errorBody, isObject, notFoundPage, parseJsonObject } from './wire';

const RESULT_PATH = '/widget/done';

interface WidgetToken {
  sessionId: string;
  expiresAt: number;
}

/**
 * What the buyer sees of the simulated Smart Glocal: the widget's files and its card form's
 * endpoint (public tokens for a single operation), the bank's 3-D Secure page and a result page.
 */
export class BuyerPages {
  private readonly tokens = new Map<string, WidgetToken>();

  constructor(
    private readonly flow: PaymentFlow,
    private readonly clock: Clock,
    private readonly tokenTtlMs: number,
  ) {}

  issueToken(token: string, sessionId: string): void {
    this.tokens.set(token, { sessionId, expiresAt: this.clock.now().getTime() + this.tokenTtlMs });
  }

  register(http: SimulatorHttp): void {
    http.route('GET', `/${WIDGET.script}`, () => ({
      status: 200,
      headers: { 'content-type': 'application/javascript; charset=utf-8', 'access-control-allow-origin': '*' },
      body: widgetScript(),
    }), false);
    http.route('GET', `/${WIDGET.stylesheet}`, () => ({
      status: 200,
      headers: { 'content-type': 'text/css; charset=utf-8', 'access-control-allow-origin': '*' },
      body: widgetStylesheet(),
    }), false);
    http.route('OPTIONS', WIDGET_PAY_PATH, () => ({ status: 204, headers: corsHeaders() }), false);
    http.route('POST', WIDGET_PAY_PATH, (req) => this.widgetPay(req), false);
    http.route('GET', `${THREE_DS_PATH}/:paymentId`, (_req, params) => this.threeDsPageFor(params.paymentId), false);
    http.route('POST', `${THREE_DS_PATH}/:paymentId`, (req, params) => this.threeDsSubmit(req, params.paymentId), false);
    http.route('GET', `${RESULT_PATH}/:sessionId`, (_req, params) => {
      const session = this.flow.sessions.get(params.sessionId);
      return session ? resultPage(session.id, session.status) : notFoundPage();
    }, false);
  }

  private widgetPay(req: SimRequest): SimResponse {
    const body = parseJsonObject(req.rawBody);
    const answer = (status: number, payload: object): SimResponse => ({ status, headers: corsHeaders(), body: payload });
    if (!body || typeof body.public_token !== 'string') return answer(400, errorBody('invalid_request', 'public_token is required'));
    const token = this.tokens.get(body.public_token);
    if (!token || token.expiresAt <= this.clock.now().getTime()) return answer(401, errorBody('invalid_token', 'the public token is unknown or expired'));
    const session = this.flow.sessions.get(token.sessionId)!;
    if (session.status !== 'created') return answer(409, errorBody('session_started', `the session is ${session.status}`));
    if (!this.flow.requests.get(session.id)?.amount_details) return answer(400, errorBody('invalid_amount', 'the session has no amount'));
    const field = invalidCardField(body.card, this.clock.now());
    if (field) return answer(400, errorBody('invalid_card', `${field.replace('payment_details.card.bank_card', 'card')} is invalid`));
    // The token is for a single operation.
    this.tokens.delete(body.public_token);
    const card = body.card as BankCard;
    const payment = this.flow.startPayment(session, card, 'widget', req.baseUrl);
    // The widget runs 3-D Secure itself: it sends the buyer there first.
    const redirectUrl = cardOutcome(card).kind === '3ds' ? `${req.baseUrl}${THREE_DS_PATH}/${payment.id}` : this.returnUrlOf(session, req.baseUrl);
    return answer(200, { status: 'ok', session_id: session.id, payment_id: payment.id, redirect_url: redirectUrl });
  }

  private threeDsPageFor(paymentId: string): SimResponse {
    const found = this.flow.findPayment(paymentId);
    if (!found) return notFoundPage();
    const { payment, session } = found;
    if (payment.status === 'succeeded' || payment.status === 'failed') return resultPage(session.id, payment.status);
    if (!payment.customer_interaction) return waitingPage(session.id);
    return threeDsPage(payment.id, formatMoney(payment.amount_details.amount, payment.amount_details.currency));
  }

  /** The bank's page: a POST without `result` is the hand-off (PaReq, MD), with one the buyer's answer. */
  private threeDsSubmit(req: SimRequest, paymentId: string): SimResponse {
    const found = this.flow.findPayment(paymentId);
    if (!found) return notFoundPage();
    const { payment, session } = found;
    const result = isObject(req.body) ? req.body.result : undefined;
    if (result === undefined) return this.threeDsPageFor(paymentId);
    if (payment.status === 'pending' && payment.customer_interaction) this.flow.complete3ds(paymentId, result === 'pass');
    return redirect(this.returnUrlOf(session, req.baseUrl));
  }

  private returnUrlOf(session: Session, baseUrl: string): string {
    return this.flow.requests.get(session.id)?.payment_options?.return_url ?? `${baseUrl}${RESULT_PATH}/${session.id}`;
  }

}
