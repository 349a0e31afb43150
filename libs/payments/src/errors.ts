/**
 * Typed errors in the vocabulary of API.md's error shape. Thrown anywhere (providers, services);
 * the application's one exception filter renders them. No HTTP framework here.
 */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'provider_error'
  | 'api_error';

export abstract class PaymuxError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly type: ApiErrorType;
  constructor(
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: bad input; `param` names the offending field. */
export class InvalidRequest extends PaymuxError {
  readonly httpStatus = 400;
  readonly type = 'invalid_request_error' as const;
  constructor(param: string | undefined, message: string, code = 'parameter_invalid') {
    super(code, message, param);
  }
}

/** 404: unknown id. */
export class NotFound extends PaymuxError {
  readonly httpStatus = 404;
  readonly type = 'not_found_error' as const;
  constructor(what: string, id: string | number) {
    super('resource_missing', `No such ${what}: '${id}'`, 'id');
  }
}

/** 409: an illegal state change, or an idempotent request still in flight. */
export class Conflict extends PaymuxError {
  readonly httpStatus = 409;
  readonly type = 'conflict_error' as const;
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** 401: no or bad credentials, or a bad webhook signature. */
export class AuthenticationFailed extends PaymuxError {
  readonly httpStatus = 401;
  readonly type = 'authentication_error' as const;
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** A provider webhook whose signature does not verify: 401, nothing changes. */
export class WebhookSignatureError extends AuthenticationFailed {
  constructor(message = 'Webhook signature verification failed') {
    super('signature_invalid', message);
  }
}

/**
 * 502 (the provider answered with an error, or could not be reached) or 504 (it did not answer in
 * time). `code` is one of PROVIDER_FAILURE_CODES for failures every provider shares, else the
 * provider's own code; `provider` names it; `retryable` says whether the same request may succeed
 * if sent again (or to another provider): no answer, a 5xx, or a rate limit. Adapters build these
 * with `providerFailure` (provider-failure.ts), so the same failure reads the same everywhere.
 */
export class ProviderError extends PaymuxError {
  readonly type = 'provider_error' as const;
  readonly httpStatus: number;
  constructor(
    readonly provider: string,
    code: string,
    message: string,
    readonly timedOut = false,
    readonly retryable = timedOut,
  ) {
    super(code, message);
    this.httpStatus = timedOut ? 504 : 502;
  }

  static timeout(provider: string, afterMs: number): ProviderError {
    return new ProviderError(provider, 'provider_timeout', `${provider} did not answer within ${afterMs} ms`, true);
  }
}

/** 422: an Idempotency-Key reused with a different request. */
export class IdempotencyKeyReused extends PaymuxError {
  readonly httpStatus = 422;
  readonly type = 'idempotency_error' as const;
  constructor() {
    super('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body', 'Idempotency-Key');
  }
}
