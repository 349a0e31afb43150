import { randomUUID } from 'node:crypto';
import axios, { AxiosInstance, AxiosRequestConfig, AxiosResponse, isAxiosError } from 'axios';
import { KOMOJU_IDEMPOTENCY_HEADER, KomojuCreateSessionBody, KomojuSession } from './types';

export interface KomojuClientOptions {
  /** API base, e.g. `https://komoju.com/api/v1`. */
  baseUrl: string;
  /** `sk_live_…` / `sk_test_…`: sent as the Basic user name, never logged or put in an error. */
  secretKey: string;
  /** Give up on one call after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** The application passes @nestjs/axios's `axiosRef`; default `axios.create()`. */
  http?: AxiosInstance;
}

/** KOMOJU answered with an error (its `{error:{code,message,param}}` body, or a bare status). */
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
}

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
  /** Sent as `X-KOMOJU-IDEMPOTENCY`; a fresh one is generated when absent. */
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
  /** A closure, not a field, so logging or serialising the client cannot reveal the key. */
  private readonly authorization: () => string;

  constructor(options: KomojuClientOptions) {
    this.http = options.http ?? axios.create();
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    // Built here rather than with axios's `auth` option, which copies the key into error configs.
    const header = `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`;
    this.authorization = () => header;
  }

  createSession(body: KomojuCreateSessionBody, options: CreateSessionOptions = {}): Promise<KomojuSession> {
    return this.request<KomojuSession>({
      method: 'POST',
      url: '/sessions',
      data: body,
      headers: { [KOMOJU_IDEMPOTENCY_HEADER]: options.idempotencyKey ?? randomUUID() },
    });
  }

  getSession(id: string): Promise<KomojuSession> {
    return this.request<KomojuSession>({ method: 'GET', url: `/sessions/${encodeURIComponent(id)}` });
  }

  cancelSession(id: string): Promise<KomojuSession> {
    return this.request<KomojuSession>({ method: 'POST', url: `/sessions/${encodeURIComponent(id)}/cancel` });
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
