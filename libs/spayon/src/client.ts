import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { Clock, systemClock } from '@paymux/payments';
import { SpayonApiError, SpayonNetworkError, SpayonOperation, SpayonTimeoutError } from './errors';
import {
  SPAYON_TOKEN_REFRESH_MARGIN_SECONDS,
  SPAYON_TOKEN_TTL_SECONDS,
  SpayonCreateSessionRequest,
  SpayonCreateSessionResponse,
  SpayonSessionStatus,
  SpayonTokenResponse,
} from './types';

export interface SpayonClientOptions {
  /** `https://api.spayon.io`, the staging URL, or a simulator's base URL. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request; default 10 000 ms. */
  timeoutMs?: number;
  /** The application passes `HttpService.axiosRef`; default `axios.create()`. */
  http?: AxiosInstance;
  clock?: Clock;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is replaced before use. */
  refreshAt: number;
}

/**
 * Spayon's documented API over axios: token management (Authentication) and the two session
 * calls. Every status Spayon answers is handled here, so the instance's own `validateStatus`
 * and interceptors for errors do not matter.
 */
export class SpayonClient {
  readonly timeoutMs: number;
  private readonly baseUrl: string;
  private readonly http: AxiosInstance;
  private readonly clock: Clock;
  private token: CachedToken | null = null;
  /** The one token request every concurrent caller waits on. */
  private tokenRequest: Promise<string> | null = null;

  constructor(private readonly options: SpayonClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.http = options.http ?? axios.create();
    this.clock = options.clock ?? systemClock;
  }

  /** `POST /api/product/session`. A timed-out create is never retried: it may exist already. */
  async createSession(body: SpayonCreateSessionRequest): Promise<SpayonCreateSessionResponse> {
    const response = await this.authorized('createSession', (token) =>
      this.send('createSession', { method: 'POST', path: '/api/product/session', data: body, token }),
    );
    const answer = response.data as Partial<SpayonCreateSessionResponse> | undefined;
    if (typeof answer?.session_id !== 'string' || typeof answer.session_url !== 'string') {
      throw new SpayonApiError('createSession', response.status, 'invalid_response', 'Spayon answered without session_id/session_url');
    }
    return answer as SpayonCreateSessionResponse;
  }

  /** `GET /api/product/session/{session_id}`. */
  async getSession(sessionId: string): Promise<SpayonSessionStatus> {
    const response = await this.authorized('getSession', (token) =>
      this.send('getSession', { method: 'GET', path: `/api/product/session/${encodeURIComponent(sessionId)}`, token }),
    );
    const answer = response.data as Partial<SpayonSessionStatus> | undefined;
    if (typeof answer?.sessionId !== 'string' || typeof answer.status !== 'string') {
      throw new SpayonApiError('getSession', response.status, 'invalid_response', 'Spayon answered without sessionId/status');
    }
    return answer as SpayonSessionStatus;
  }

  /**
   * A valid access token: the cached one until 60 s before `expires_in` runs out (the docs ask
   * not to create one per request), else one fresh request shared by all concurrent callers.
   */
  accessToken(): Promise<string> {
    if (this.token && this.clock.now().getTime() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = null;
    });
    return this.tokenRequest;
  }

  private async requestToken(): Promise<string> {
    const issuedAt = this.clock.now().getTime();
    const response = await this.send('token', {
      method: 'POST',
      path: '/api/tokens',
      data: { client_id: this.options.clientId, client_secret: this.options.clientSecret },
    });
    if (response.status < 200 || response.status >= 300) throw this.apiError('token', response);
    const answer = response.data as Partial<SpayonTokenResponse> | undefined;
    if (typeof answer?.access_token !== 'string' || answer.access_token === '') {
      throw new SpayonApiError('token', response.status, 'invalid_response', 'Spayon answered without an access_token');
    }
    const lifetimeSeconds = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : SPAYON_TOKEN_TTL_SECONDS;
    // A token shorter-lived than twice the margin is still used for half its life.
    const marginSeconds = Math.min(SPAYON_TOKEN_REFRESH_MARGIN_SECONDS, lifetimeSeconds / 2);
    this.token = { value: answer.access_token, refreshAt: issuedAt + (lifetimeSeconds - marginSeconds) * 1000 };
    return answer.access_token;
  }

  /**
   * Sends a session call with the current token; on a 401 (the token was revoked or expired
   * early) it drops that token, gets one fresh token and retries exactly once.
   */
  private async authorized(operation: SpayonOperation, call: (token: string) => Promise<AxiosResponse>): Promise<AxiosResponse> {
    const token = await this.accessToken();
    let response = await call(token);
    if (response.status === 401) {
      // Only the caller that still sees its token cached drops it, so N callers hitting 401
      // together cause one refresh.
      if (this.token?.value === token) this.token = null;
      response = await call(await this.accessToken());
    }
    if (response.status < 200 || response.status >= 300) throw this.apiError(operation, response);
    return response;
  }

  private async send(
    operation: SpayonOperation,
    request: { method: 'GET' | 'POST'; path: string; data?: unknown; token?: string },
  ): Promise<AxiosResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.data !== undefined) headers['Content-Type'] = 'application/json';
    if (request.token) headers.Authorization = `Bearer ${request.token}`;
    try {
      return await this.http.request({
        method: request.method,
        url: this.baseUrl + request.path,
        data: request.data,
        headers,
        timeout: this.timeoutMs,
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (error) {
      // The axios error carries the request config (credentials, token): never rethrow it.
      if (axios.isAxiosError(error)) {
        if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') throw new SpayonTimeoutError(operation, this.timeoutMs);
        throw new SpayonNetworkError(operation, error.code ?? 'ERR_NETWORK');
      }
      throw new SpayonNetworkError(operation, 'ERR_UNKNOWN');
    }
  }

  private apiError(operation: SpayonOperation, response: AxiosResponse): SpayonApiError {
    const body = response.data as unknown;
    const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const code = typeof fields.code === 'string' || typeof fields.code === 'number' ? String(fields.code) : `http_${response.status}`;
    const message = this.redact(readMessage(fields) ?? `Spayon answered HTTP ${response.status} to ${operation}`);
    return new SpayonApiError(operation, response.status, code, message);
  }

  /** Spayon's message is shown to merchants; make sure no credential it echoed goes with it. */
  private redact(text: string): string {
    let safe = text.slice(0, 500);
    for (const secret of [this.options.clientSecret, this.token?.value]) {
      if (secret) safe = safe.split(secret).join('[redacted]');
    }
    return safe;
  }
}

/** The error body is undocumented: accept `message` (string or list, as many APIs send) or `error`. */
function readMessage(fields: Record<string, unknown>): string | undefined {
  const { message, error } = fields;
  if (typeof message === 'string' && message.trim()) return message.trim();
  if (Array.isArray(message)) {
    const parts = message.filter((part): part is string => typeof part === 'string');
    if (parts.length > 0) return parts.join('; ');
  }
  if (typeof error === 'string' && error.trim()) return error.trim();
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return undefined;
}
