import axios, { AxiosInstance, AxiosResponse } from 'axios';
import type { KeyObject } from 'node:crypto';
import { SmartGlocalApiError, SmartGlocalTimeoutError } from './errors';
import { loadPrivateKey, signBody } from './signature';
import {
  API_PATH_PREFIX,
  Envelope,
  HEADERS,
  Session,
  SessionCreateRequest,
  SessionIdRequest,
  SessionInitPaymentRequest,
  SessionRefundRequest,
  SessionStartPaymentRequest,
  SMART_GLOCAL_METHODS,
  SmartGlocalMethod,
  TokenRequest,
} from './types';

export interface SmartGlocalClientOptions {
  /** `https://demo.smart-glocal.com`, `https://proxy.smart-glocal.com`, or a simulator's base URL. */
  baseUrl: string;
  /** Sent as `X-PARTNER-PROJECT`. */
  project: string;
  /** The partner's RSA private key (PEM); its public half is registered with Smart Glocal. */
  privateKeyPem: string;
  timeoutMs?: number;
  /** The application passes @nestjs/axios's `axiosRef`; default `axios.create()`. */
  http?: AxiosInstance;
}

export interface IdempotencyOptions {
  idempotencyKey?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Typed client for Smart Glocal's partner API (providers/smart-glocal.md). Every call is a signed
 * POST of JSON; the body is serialised once and the very bytes that were signed are sent.
 */
export class SmartGlocalClient {
  readonly baseUrl: string;
  readonly project: string;
  readonly timeoutMs: number;
  private readonly privateKey: KeyObject;
  private readonly http: AxiosInstance;

  constructor(options: SmartGlocalClientOptions) {
    if (!options.baseUrl) throw new Error('Smart Glocal baseUrl is required');
    if (!options.project) throw new Error('Smart Glocal project is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.project = options.project;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.privateKey = loadPrivateKey(options.privateKeyPem, 'SMART_GLOCAL_PRIVATE_KEY');
    this.http = options.http ?? axios.create();
  }

  /** Creates a session without card data; the buyer pays in the widget. */
  async createSession(request: SessionCreateRequest, options: IdempotencyOptions = {}): Promise<Session> {
    return sessionOf(await this.call(SMART_GLOCAL_METHODS.createSession, request, options.idempotencyKey), SMART_GLOCAL_METHODS.createSession);
  }

  /** A short-lived public token for the payment widget of a session. */
  async getToken(request: TokenRequest): Promise<string> {
    const envelope = await this.call(SMART_GLOCAL_METHODS.token, request);
    if (typeof envelope.public_token !== 'string' || envelope.public_token === '') {
      throw new SmartGlocalApiError(200, 'invalid_response', 'answer has no public_token', SMART_GLOCAL_METHODS.token);
    }
    return envelope.public_token;
  }

  /** Creates a session and starts a card payment in one call. The docs ask for an idempotency key. */
  async initPayment(request: SessionInitPaymentRequest, options: { idempotencyKey: string }): Promise<Session> {
    return sessionOf(await this.call(SMART_GLOCAL_METHODS.initPayment, request, options.idempotencyKey), SMART_GLOCAL_METHODS.initPayment);
  }

  async startPayment(request: SessionStartPaymentRequest, options: IdempotencyOptions = {}): Promise<Session> {
    return sessionOf(await this.call(SMART_GLOCAL_METHODS.startPayment, request, options.idempotencyKey), SMART_GLOCAL_METHODS.startPayment);
  }

  /** `session/status`: the full PaymentSession with every operation in it. */
  async sessionStatus(sessionId: string): Promise<Session> {
    return this.sessionCall(SMART_GLOCAL_METHODS.sessionStatus, sessionId);
  }

  /** `session/confirm`, the answer to `ready_to_confirm`; the result comes by webhook or `session/status`. */
  async confirmSession(sessionId: string): Promise<Session> {
    return this.sessionCall(SMART_GLOCAL_METHODS.confirmSession, sessionId);
  }

  async cancelSession(sessionId: string): Promise<Session> {
    return this.sessionCall(SMART_GLOCAL_METHODS.cancelSession, sessionId);
  }

  /** `session/capture` in full, the answer to `ready_to_capture` (a partial capture's parameter is NOT IN PUBLIC DOCS). */
  async captureSession(sessionId: string): Promise<Session> {
    return this.sessionCall(SMART_GLOCAL_METHODS.captureSession, sessionId);
  }

  /**
   * `session/refund`: the answer shows the new refund `in_progress` in the payment's `refunds[]`;
   * `payment_refunded` follows when it is done. NOT IN PUBLIC DOCS: idempotency of this method;
   * the key is sent in the same header as elsewhere, so a simulator or a later API honours it.
   */
  async refundSession(request: SessionRefundRequest, options: IdempotencyOptions = {}): Promise<Session> {
    return sessionOf(await this.call(SMART_GLOCAL_METHODS.refundSession, request, options.idempotencyKey), SMART_GLOCAL_METHODS.refundSession);
  }

  private async sessionCall(method: SmartGlocalMethod, sessionId: string): Promise<Session> {
    const request: SessionIdRequest = { session_id: sessionId };
    return sessionOf(await this.call(method, request), method);
  }

  private async call(method: SmartGlocalMethod, body: object, idempotencyKey?: string): Promise<Envelope> {
    // Serialise once; the signature covers these bytes and these bytes are what goes on the wire.
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      [HEADERS.project]: this.project,
      [HEADERS.sign]: signBody(bytes, this.privateKey),
    };
    if (idempotencyKey) headers[HEADERS.idempotencyKey] = idempotencyKey;

    let response: AxiosResponse<Buffer>;
    try {
      response = await this.http.request<Buffer>({
        method: 'POST',
        url: `${this.baseUrl}${API_PATH_PREFIX}${method}`,
        data: bytes,
        headers,
        timeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
        // No re-serialisation on the way out, no parsing on the way in: we own both.
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        responseType: 'arraybuffer',
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (error) {
      throw this.transportError(method, error);
    }
    return parseEnvelope(method, response.status, toText(response.data));
  }

  /** Turns an axios failure into our typed error. The axios error is dropped: its config holds the body. */
  private transportError(method: string, error: unknown): Error {
    const code = (error as { code?: string }).code;
    const name = (error as { name?: string }).name;
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED' || name === 'CanceledError' || name === 'TimeoutError') {
      return new SmartGlocalTimeoutError(method, this.timeoutMs);
    }
    // No answer at all: the description is the transport's code (ECONNREFUSED, ENOTFOUND, …).
    return new SmartGlocalApiError(null, 'network_error', code ?? 'unknown error', method);
  }
}

/**
 * The envelope decides (`/docs/reference/format`): `"status": "error"` is an error whatever the
 * HTTP status. NOT IN PUBLIC DOCS: the HTTP status of error answers; a non-2xx answer without
 * the JSON envelope is a transport error.
 */
function parseEnvelope(method: string, httpStatus: number, text: string): Envelope {
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const envelope = parsed as Partial<Envelope> | undefined;
  if (envelope && envelope.status === 'error') {
    const code = typeof envelope.error?.code === 'string' ? envelope.error.code : `http_${httpStatus}`;
    const description = typeof envelope.error?.description === 'string' ? envelope.error.description : 'no description';
    throw new SmartGlocalApiError(httpStatus, code, description, method);
  }
  if (httpStatus < 200 || httpStatus >= 300) {
    throw new SmartGlocalApiError(httpStatus, `http_${httpStatus}`, `Smart Glocal answered HTTP ${httpStatus}`, method);
  }
  if (!envelope || envelope.status !== 'ok') {
    throw new SmartGlocalApiError(httpStatus, 'invalid_response', 'answer is not the documented envelope', method);
  }
  return envelope as Envelope;
}

function sessionOf(envelope: Envelope, method: string): Session {
  const session = envelope.session;
  if (!session || typeof session.id !== 'string' || typeof session.status !== 'string') {
    throw new SmartGlocalApiError(200, 'invalid_response', 'answer has no session', method);
  }
  return { ...session, acquiring_payments: Array.isArray(session.acquiring_payments) ? session.acquiring_payments : [] };
}

function toText(data: unknown): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (typeof data === 'string') return data;
  return data === undefined || data === null ? '' : JSON.stringify(data);
}
