import type { SimRequest, SimResponse } from '@paymux/simulator-kit';
import type { AmountDetails, BankCard, Session } from '../types';
import { invalidCardField } from './cards';
import type { SessionRequest } from './payment-flow';

/** The simulator's request checks and answer shapes (the documented envelope). */

const MAX_REFERENCE_LENGTH = 255;

/** `requireAll`: init/payment needs amount and customer; create and start may leave them out. */
export function invalidSessionFields(body: Record<string, unknown>, requireAll: boolean, currencies: ReadonlySet<string>): SimResponse | null {
  if (requireAll || body.amount_details !== undefined) {
    const amount = invalidAmount(body.amount_details, currencies);
    if (amount) return amount;
  }
  const customer = body.customer;
  if (requireAll || customer !== undefined) {
    if (!isObject(customer) || typeof customer.reference !== 'string' || customer.reference.trim() === '' || customer.reference.length > MAX_REFERENCE_LENGTH) {
      return apiError(400, 'invalid_customer', 'customer.reference is required (1-255 characters)');
    }
  }
  const options = body.payment_options;
  if (options !== undefined) {
    if (!isObject(options)) return apiError(400, 'invalid_request', 'payment_options must be an object');
    if (options.return_url !== undefined && !isHttpUrl(options.return_url)) {
      return apiError(400, 'invalid_return_url', 'payment_options.return_url must be an http(s) URL');
    }
  }
  return null;
}

export function invalidAmount(value: unknown, currencies: ReadonlySet<string>): SimResponse | null {
  if (!isObject(value)) return apiError(400, 'invalid_amount', 'amount_details is required');
  if (typeof value.amount !== 'number' || !Number.isSafeInteger(value.amount) || value.amount <= 0) {
    return apiError(400, 'invalid_amount', 'amount_details.amount must be a positive integer in minor units');
  }
  if (typeof value.currency !== 'string' || !/^[a-z]{3}$/i.test(value.currency)) {
    return apiError(400, 'invalid_currency', 'amount_details.currency must be an ISO 4217 code');
  }
  // NOT IN PUBLIC DOCS whether case matters: examples show "usd" and "RUB"; take both.
  if (!currencies.has(value.currency.toLowerCase())) return apiError(400, 'unsupported_currency', `currency ${value.currency} is not supported`);
  return null;
}

/** The fields of create / start / init the session keeps (payment_details is used once, never kept). */
export function requestOf(body: Record<string, unknown>): SessionRequest {
  const request: SessionRequest = {};
  if (body.amount_details !== undefined) request.amount_details = body.amount_details as AmountDetails;
  if (isObject(body.customer)) request.customer = { reference: String(body.customer.reference) };
  if (isObject(body.payment_options)) request.payment_options = body.payment_options as SessionRequest['payment_options'];
  if (body.metadata !== undefined) request.metadata = body.metadata;
  return request;
}

/** The answer of confirm / capture / cancel: the session as it is now, or the reason it was refused. */
export function answered(session: Session, refused: string | null): SimResponse {
  return refused ? apiError(409, 'invalid_session_state', refused) : ok(session);
}

export function ok(session: Session): SimResponse {
  return { status: 200, body: { status: 'ok', session: snapshot(session) } };
}

export function errorBody(code: string, description: string) {
  return { status: 'error', error: { code, description } };
}

export function apiError(status: number, code: string, description: string): SimResponse {
  return { status, body: errorBody(code, description) };
}

/** Names the bad card field, never its value. */
export function invalidCard(details: unknown, now: Date): SimResponse | null {
  if (!isObject(details) || details.type !== 'card' || !isObject(details.card) || details.card.type !== 'bank_card') {
    return apiError(400, 'invalid_payment_details', 'payment_details must be a bank card');
  }
  const field = invalidCardField(details.card.bank_card, now);
  return field ? apiError(400, 'invalid_card', `${field} is invalid`) : null;
}

export function cardOf(details: unknown): BankCard {
  return ((details as Record<string, Record<string, unknown>>).card.bank_card) as BankCard;
}

export function snapshot<T>(value: T): T {
  return structuredClone(value);
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function parseJsonObject(raw: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function corsHeaders(): Record<string, string> {
  return { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-allow-headers': 'content-type' };
}

export function notFoundPage(): SimResponse {
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
}
