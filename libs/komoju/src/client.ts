import { createHash, randomUUID } from 'node:crypto';
import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse, isAxiosError } from 'axios';
import type { KomojuRefundBody } from './refunds';
import { KOMOJU_IDEMPOTENCY_HEADER, KOMOJU_IDEMPOTENCY_KEY_MAX_LENGTH, KomojuCreateSessionBody, KomojuPayment, KomojuSession } from './types';

export interface KomojuClientOptions {
  /** API base, e.g. `https://komoju.com/api/v1`. */
  baseUrl: string;
  /** `sk_live_…` / `sk_test_…`: sent as the Basic user name, never logged or put in an error. */
  secretKey: string;
  /** Give up on one call after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** The application passes @nestjs/axios's `axiosRef`; default `axios.create()`. */
  http?: AxiosInstance;
  /** Wait before re-sending a POST KOMOJU answered 409 (its first run still in flight); default 250 ms. */
  inFlightRetryDelayMs?: number;
}

/** How a KOMOJU error reads for the caller (Errors): whose fault, and whether a retry can help. */
export type KomojuErrorKind = 'invalid_request' | 'authentication' | 'not_found' | 'in_flight' | 'provider_failure' | 'not_processed';

/**
 * KOMOJU answered with an error (its `{error:{message,code,param}}` body, or a bare status). `code`
 * is KOMOJU's own, kept as it came, including codes the docs do not list.
 */
export class KomojuApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'KomojuApiError';
  }

  /** Branches on `error.code` first (a 400 and a 422 both mean a rejected request), then on the status. */
  get kind(): KomojuErrorKind {
    switch (this.code) {
      case 'unauthorized':
      case 'forbidden':
        return 'authentication';
      case 'not_found':
        return 'not_found';
      case 'gateway_timeout':
        return 'not_processed';
      case 'bad_request':
      case 'missing_parameter':
      case 'unprocessable_entity':
      case 'request_failed':
        return 'invalid_request';
    }
    if (this.httpStatus === 401 || this.httpStatus === 403) return 'authentication';
    if (this.httpStatus === 404) return 'not_found';
    if (this.httpStatus === 409) return 'in_flight';
    if (this.httpStatus === 504) return 'not_processed';
    if (this.httpStatus >= 500) return 'provider_failure';
    return 'invalid_request';
  }

  /** 504 (not processed), 502/503 and an in-flight 409 may be retried with the same idempotency key. */
  get retryable(): boolean {
    return this.kind === 'not_processed' || this.kind === 'in_flight' || this.httpStatus === 502 || this.httpStatus === 503;
  }
}

/**
 * KOMOJU's idempotency keys are at most 100 ASCII characters; paymux's `Idempotency-Key` may be up
 * to 255 of any. NOT IN PUBLIC DOCS (a paymux choice): a key that does not fit is sent as its
 * SHA-256 hex (64 characters), so one paymux key is always one KOMOJU key.
 */
export function toKomojuIdempotencyKey(key: string): string {
  const fits = key.length > 0 && key.length <= KOMOJU_IDEMPOTENCY_KEY_MAX_LENGTH && /^[\x20-\x7e]+$/.test(key);
  return fits ? key : createHash('sha256').update(key, 'utf8').digest('hex');
}

/** NOT IN PUBLIC DOCS (a paymux choice): how often a POST answered 409 (first run in flight) is re-sent. */
export const KOMOJU_IN_FLIGHT_RETRIES = 2;

/** KOMOJU did not answer within `timeoutMs`. */
export class KomojuTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`KOMOJU did not answer within ${timeoutMs} ms`);
    this.name = 'KomojuTimeoutError';
  }
}

/** No answer at all (connection refused, reset, DNS). */
export class KomojuConnectionError extends Error {
  constructor(readonly reason: string) {
    super(`KOMOJU could not be reached: ${reason}`);
    this.name = 'KomojuConnectionError';
  }
}

export interface CreateSessionOptions {
  /** Sent as `X-KOMOJU-IDEMPOTENCY` (see `toKomojuIdempotencyKey`); a fresh UUID when absent. */
  idempotencyKey?: string | null;
}

/**
 * Transport for KOMOJU's Sessions API: HTTP Basic with the secret key as user name and an empty
 * password (Base URL and authentication). No API-version header is sent: the documented
 * behaviour is the account's default version.
 */
export class KomojuClient {
  private readonly http: AxiosInstance;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly inFlightRetryDelayMs: number;
  /** A closure, not a field, so logging or serialising the client cannot reveal the key. */
  private readonly authorization: () => string;

  constructor(options: KomojuClientOptions) {
    this.http = options.http ?? axios.create();
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.inFlightRetryDelayMs = options.inFlightRetryDelayMs ?? 250;
    // Built here rather than with axios's `auth` option, which copies the key into error configs.
    const header = `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`;
    this.authorization = () => header;
  }

  /**
   * Same key and same body on every retry (Idempotency): a 409 means the first request is still
   * running, so it is re-sent unchanged after a pause; the first answer then comes back.
   */
  async createSession(body: KomojuCreateSessionBody, options: CreateSessionOptions = {}): Promise<KomojuSession> {
    const key = toKomojuIdempotencyKey(options.idempotencyKey ?? randomUUID());
    const config: AxiosRequestConfig = { method: 'POST', url: '/sessions', data: JSON.stringify(body), headers: { [KOMOJU_IDEMPOTENCY_HEADER]: key } };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request<KomojuSession>(config);
      } catch (error) {
        if (!(error instanceof KomojuApiError && error.kind === 'in_flight') || attempt >= KOMOJU_IN_FLIGHT_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.inFlightRetryDelayMs));
      }
    }
  }

  getSession(id: string): Promise<KomojuSession> {
    return this.request<KomojuSession>({ method: 'GET', url: `/sessions/${encodeURIComponent(id)}` });
  }

  cancelSession(id: string): Promise<KomojuSession> {
    return this.request<KomojuSession>({ method: 'POST', url: `/sessions/${encodeURIComponent(id)}/cancel` });
  }

  /** Payments: `POST /payments/{id}/cancel`, for a `pending` or `authorized` payment only. */
  cancelPayment(paymentId: string): Promise<KomojuPayment> {
    return this.request<KomojuPayment>({ method: 'POST', url: `/payments/${encodeURIComponent(paymentId)}/cancel` });
  }

  /** Payments: `GET /payments/{id}`, with its `refunds[]` and `amount_refunded`. */
  getPayment(paymentId: string): Promise<KomojuPayment> {
    return this.request<KomojuPayment>({ method: 'GET', url: `/payments/${encodeURIComponent(paymentId)}` });
  }

  /**
   * Payments: `POST /payments/{id}/refund`; answers the Payment. Sent with an idempotency key, so
   * a retry of a refund whose answer was lost is answered, not refunded twice (Idempotency).
   */
  refundPayment(paymentId: string, body: KomojuRefundBody, options: { idempotencyKey: string }): Promise<KomojuPayment> {
    return this.request<KomojuPayment>({
      method: 'POST', url: `/payments/${encodeURIComponent(paymentId)}/refund`, data: JSON.stringify(body),
      headers: { [KOMOJU_IDEMPOTENCY_HEADER]: toKomojuIdempotencyKey(options.idempotencyKey) },
    });
  }

  /**
   * Payments: `POST /payments/{id}/capture`, for a payment authorized under manual capture;
   * `amount` (lowest denomination) captures part of it, omitted the whole.
   */
  capturePayment(paymentId: string, amount?: number): Promise<KomojuPayment> {
    return this.request<KomojuPayment>({ method: 'POST', url: `/payments/${encodeURIComponent(paymentId)}/capture`, data: JSON.stringify(amount === undefined ? {} : { amount }) });
  }

  private async request<T>(config: AxiosRequestConfig): Promise<T> {
    let response: AxiosResponse;
    try {
      response = await this.http.request({
        ...config,
        baseURL: this.baseUrl,
        timeout: this.timeoutMs,
        headers: { ...(config.headers ?? {}), Authorization: this.authorization(), Accept: 'application/json', 'Content-Type': 'application/json' },
        validateStatus: () => true,
        responseType: 'json',
      });
    } catch (error) {
      throw this.transportError(error);
    }
    if (response.status >= 200 && response.status < 300) return response.data as T;
    throw toApiError(response.status, response.data);
  }

  private transportError(error: unknown): Error {
    if (isAxiosError(error)) {
      if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return new KomojuTimeoutError(this.timeoutMs);
      return new KomojuConnectionError(error.code ?? 'network error');
    }
    return new KomojuConnectionError('unexpected transport failure');
  }
}

/** `{error:{code,message,param}}` → KomojuApiError; anything else keeps the HTTP status. */
export function toApiError(httpStatus: number, body: unknown): KomojuApiError {
  const error = (body as { error?: unknown } | null)?.error;
  if (error && typeof error === 'object') {
    const { code, message, param } = error as Record<string, unknown>;
    return new KomojuApiError(
      httpStatus,
      typeof code === 'string' ? code : `http_${httpStatus}`,
      typeof message === 'string' ? message : `KOMOJU answered HTTP ${httpStatus}`,
      typeof param === 'string' ? param : null,
    );
  }
  if (typeof error === 'string') return new KomojuApiError(httpStatus, error, `KOMOJU answered HTTP ${httpStatus}`);
  return new KomojuApiError(httpStatus, `http_${httpStatus}`, `KOMOJU answered HTTP ${httpStatus}`);
}
