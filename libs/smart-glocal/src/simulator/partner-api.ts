import { createHash, KeyObject, randomBytes } from 'node:crypto';
import type { Clock } from '@paymux/payments';
import { SimRequest, SimResponse, SimulatorHttp } from '@paymux/simulator-kit';
import { verifyBody } from '../signature';
import { API_PATH_PREFIX, HEADERS, Session, SMART_GLOCAL_METHODS, SmartGlocalMethod } from '../types';
import { Account, AccountKnobs } from './account';
import { BuyerPages } from './buyer-pages';
import { PaymentFlow } from './payment-flow';
import type { RefundCall } from './refund-call';
import { answered, apiError, cardOf, header, invalidCard, invalidSessionFields, isObject, ok, parseJsonObject, requestOf } from './wire';

interface StoredAnswer {
  bodyHash: string;
  answer: SimResponse;
}

export interface PartnerApiDependencies {
  http: SimulatorHttp;
  flow: PaymentFlow;
  account: Account;
  pages: BuyerPages;
  clock: Clock;
  /** The project id expected in `X-PARTNER-PROJECT`. */
  project: string;
  /** The partner's public key: every request's `X-PARTNER-SIGN` is checked with it. */
  merchantKey: KeyObject;
  currencies: ReadonlySet<string>;
  /** `session/refund`. */
  refunds: RefundCall;
  /** Every API request, with the base URL it came in on. */
  onRequest(baseUrl: string): void;
  /** A request refused for a bad or missing project or signature. */
  onRejected(): void;
}

/**
 * The simulator's partner API (providers/smart-glocal.md, "API methods"): each documented method
 * checks the project and the signature on the raw bytes, honours idempotency keys, and hands the
 * session to the payment flow.
 */
export class PartnerApi {
  private readonly idempotent = new Map<string, StoredAnswer>();
  private readonly cardsAtCreate = new Map<string, unknown>();

  constructor(private readonly deps: PartnerApiDependencies) {}

  mount(): void {
    this.api(SMART_GLOCAL_METHODS.createSession, (body) => this.createSessionCall(body));
    this.api(SMART_GLOCAL_METHODS.token, (body) => this.tokenCall(body));
    this.api(SMART_GLOCAL_METHODS.initPayment, (body, req) => this.initPaymentCall(body, req.baseUrl));
    this.api(SMART_GLOCAL_METHODS.startPayment, (body, req) => this.startPaymentCall(body, req.baseUrl));
    this.api(SMART_GLOCAL_METHODS.sessionStatus, (body) => this.withSession(body, (session) => ok(session)));
    this.api(SMART_GLOCAL_METHODS.confirmSession, (body) => this.withSession(body, (session) => this.confirm(session)));
    this.api(SMART_GLOCAL_METHODS.captureSession, (body) => this.withSession(body, (session) => answered(session, this.deps.flow.answer(session, 'capture'))));
    this.api(SMART_GLOCAL_METHODS.cancelSession, (body) => this.withSession(body, (session) => answered(session, this.deps.flow.cancel(session))));
    this.api(SMART_GLOCAL_METHODS.refundSession, (body) => this.deps.refunds.handle(body));
    this.deps.http.route('POST', '/__refunds', (req) => {
      this.deps.refunds.set((isObject(req.body) ? req.body : {}) as never);
      return { status: 200, body: this.deps.refunds.knobs };
    }, false);

    this.deps.http.route('POST', '/__account', (req) => {
      this.deps.account.set((isObject(req.body) ? req.body : {}) as Partial<AccountKnobs>);
      return { status: 200, body: this.deps.account.current };
    }, false);
  }

  /** A documented API method: project and signature checked on the raw bytes, idempotency honoured. */
  private api(method: SmartGlocalMethod, handler: (body: Record<string, unknown>, req: SimRequest) => SimResponse | Promise<SimResponse>): void {
    this.deps.http.route('POST', `${API_PATH_PREFIX}${method}`, async (req) => {
      this.deps.onRequest(req.baseUrl);
      this.deps.flow.enforceDeadlines();
      const project = header(req, HEADERS.project);
      if (!project || project !== this.deps.project) {
        this.deps.onRejected();
        return apiError(401, 'invalid_project', `${HEADERS.project} is missing or unknown`);
      }
      if (!verifyBody(req.rawBody, header(req, HEADERS.sign), this.deps.merchantKey)) {
        this.deps.onRejected();
        return apiError(401, 'invalid_signature', `${HEADERS.sign} does not verify over the request body`);
      }
      const body = parseJsonObject(req.rawBody);
      if (!body) return apiError(400, 'invalid_request', 'the body must be a JSON object');

      const key = header(req, HEADERS.idempotencyKey);
      const bodyHash = createHash('sha256').update(req.rawBody).digest('hex');
      const slot = key ? `${method}\u0000${key}` : null;
      if (slot) {
        const stored = this.idempotent.get(slot);
        if (stored) {
          return stored.bodyHash === bodyHash
            ? stored.answer
            : apiError(409, 'idempotency_key_reused', 'this idempotency key was used with a different request');
        }
      }
      const answer = await handler(body, req);
      if (slot && answer.status < 500) this.idempotent.set(slot, { bodyHash, answer });
      return answer;
    });
  }

  private createSessionCall(body: Record<string, unknown>): SimResponse {
    const invalid = invalidSessionFields(body, false, this.deps.currencies) ?? (body.payment_details === undefined ? null : invalidCard(body.payment_details, this.deps.clock.now()));
    if (invalid) return invalid;
    const session = this.deps.flow.newSession(requestOf(body));
    // Card data sent at create waits, in memory only, for session/start/payment.
    if (body.payment_details !== undefined) this.cardsAtCreate.set(session.id, body.payment_details);
    return ok(session);
  }

  private tokenCall(body: Record<string, unknown>): SimResponse {
    const widget = body.acquiring_widget;
    if (!isObject(widget) || typeof widget.session_id !== 'string') {
      return apiError(400, 'invalid_request', 'acquiring_widget.session_id is required');
    }
    const session = this.deps.flow.sessions.get(widget.session_id);
    if (!session) return apiError(404, 'session_not_found', 'no such session');
    if (session.status !== 'created') return apiError(409, 'session_started', `the session is ${session.status}`);
    const token = `pt_${randomBytes(18).toString('base64url')}`;
    this.deps.pages.issueToken(token, session.id);
    return { status: 200, body: { status: 'ok', public_token: token } };
  }

  private initPaymentCall(body: Record<string, unknown>, baseUrl: string): SimResponse {
    const invalid = invalidSessionFields(body, true, this.deps.currencies) ?? invalidCard(body.payment_details, this.deps.clock.now());
    if (invalid) return invalid;
    const session = this.deps.flow.newSession(requestOf(body));
    this.deps.flow.startPayment(session, cardOf(body.payment_details), 'api', baseUrl);
    return ok(session);
  }

  /** `session/start/payment`: any field of create, which may change ones sent before. */
  private startPaymentCall(body: Record<string, unknown>, baseUrl: string): SimResponse {
    if (typeof body.session_id !== 'string') return apiError(400, 'invalid_request', 'session_id is required');
    const session = this.deps.flow.sessions.get(body.session_id);
    if (!session) return apiError(404, 'session_not_found', 'no such session');
    if (session.status !== 'created') return apiError(409, 'session_started', `the session is ${session.status}`);
    const invalid = invalidSessionFields(body, false, this.deps.currencies);
    if (invalid) return invalid;
    const request = { ...this.deps.flow.requests.get(session.id)!, ...requestOf(body) };
    if (!request.amount_details) return apiError(400, 'invalid_amount', 'amount_details is required');
    if (!request.customer) return apiError(400, 'invalid_customer', 'customer is required');
    const details = body.payment_details ?? this.cardsAtCreate.get(session.id);
    const invalidDetails = invalidCard(details, this.deps.clock.now());
    if (invalidDetails) return invalidDetails;
    this.deps.flow.requests.set(session.id, request);
    this.cardsAtCreate.delete(session.id);
    this.deps.flow.startPayment(session, cardOf(details), 'api', baseUrl);
    return ok(session);
  }

  private confirm(session: Session): SimResponse {
    if (this.deps.account.current.refuseConfirms > 0 && session.next_action === 'confirm') {
      this.deps.account.set({ refuseConfirms: this.deps.account.current.refuseConfirms - 1 });
      return apiError(500, 'internal_error', 'temporary failure, try again');
    }
    return answered(session, this.deps.flow.answer(session, 'confirm'));
  }

  private withSession(body: Record<string, unknown>, then: (session: Session) => SimResponse): SimResponse {
    if (typeof body.session_id !== 'string') return apiError(400, 'invalid_request', 'session_id is required');
    const session = this.deps.flow.sessions.get(body.session_id);
    return session ? then(session) : apiError(404, 'session_not_found', 'no such session');
  }
}
