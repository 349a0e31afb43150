import { HttpException } from '@nestjs/common';
import { PaymuxError, ProviderError } from '@paymux/payments';

export interface ApiErrorBody {
  error: {
    type: string;
    code: string;
    message: string;
    param?: string;
    provider?: string;
    request_id?: string;
  };
}

export interface RenderedError {
  status: number;
  body: ApiErrorBody;
  /** Unexpected errors are logged with their stack; expected ones are not. */
  unexpected: boolean;
  headers?: Record<string, string>;
}

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  414: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'idempotency_error',
  429: 'rate_limit_error',
};

/**
 * Turns anything thrown into API.md's error shape. The one place that decides what a client
 * sees: typed paymux errors as they are, framework errors by their status, everything else as
 * a 500 carrying only the request id (no message, stack or SQL).
 */
export function renderError(error: unknown, requestId: string): RenderedError {
  if (error instanceof PaymuxError) {
    const body: ApiErrorBody = { error: { type: error.type, code: error.code, message: error.message } };
    if (error.param !== undefined) body.error.param = error.param;
    if (error instanceof ProviderError) body.error.provider = error.provider;
    return { status: error.httpStatus, body, unexpected: false };
  }
  if (error instanceof HttpException) {
    return fromStatus(error.getStatus(), error.message, requestId, error);
  }
  const candidate = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof candidate?.statusCode === 'number' && candidate.statusCode >= 400 && candidate.statusCode < 500) {
    return fromStatus(candidate.statusCode, frameworkMessage(candidate), requestId, error);
  }
  return internal(requestId);
}

function fromStatus(status: number, message: string, requestId: string, error: unknown): RenderedError {
  if (status >= 500 || !TYPE_BY_STATUS[status]) return internal(requestId);
  const code = CODE_BY_STATUS[status] ?? 'invalid_request';
  const rendered: RenderedError = { status, body: { error: { type: TYPE_BY_STATUS[status], code, message } }, unexpected: false };
  if (status === 404 && error instanceof HttpException) {
    rendered.body.error.message = 'No such route';
  }
  return rendered;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'parameter_invalid',
  401: 'authentication_required',
  403: 'permission_denied',
  404: 'resource_missing',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'body_too_large',
  414: 'url_too_long',
  415: 'unsupported_media_type',
  422: 'idempotency_key_reused',
  429: 'rate_limited',
};

function frameworkMessage(error: { code?: unknown; message?: unknown }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is larger than the limit';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Content-Type must be application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Body must not be empty when Content-Type is application/json';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Body is not valid JSON';
    default:
      return error instanceof SyntaxError || /JSON/.test(String(error.message)) ? 'Body is not valid JSON' : 'Bad request';
  }
}

function internal(requestId: string): RenderedError {
  return {
    status: 500,
    unexpected: true,
    body: {
      error: {
        type: 'api_error',
        code: 'internal_error',
        message: `An unexpected error occurred; quote request id ${requestId} when reporting it`,
        request_id: requestId,
      },
    },
  };
}
