import { ProviderError } from './errors';

/**
 * The codes of the failures every provider shares, the same at each. A provider's own error code
 * (a rejected request, say) is kept as it came; these are for what no provider names itself.
 */
export const PROVIDER_FAILURE_CODES = {
  /** No answer within the client's deadline (504); the request may or may not have taken effect. */
  timeout: 'provider_timeout',
  /** No HTTP answer at all: connection refused or reset, DNS (502). */
  unreachable: 'provider_unreachable',
  /** A 5xx without a code of the provider's own (502). */
  serverError: 'provider_server_error',
  /** A 429 without a code of the provider's own (502). */
  rateLimited: 'provider_rate_limited',
  /** An answer that is not the documented shape (502). */
  invalidResponse: 'provider_invalid_response',
} as const;

/**
 * How a provider call failed, in terms every provider shares. Each adapter classifies its own
 * client's typed errors into one of these (`classify` in `callProvider`); anything it does not
 * recognise is not a provider failure but a bug, and stays one (a 500 that echoes nothing).
 */
export type ProviderFailure =
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'unreachable'; reason: string }
  /** The request did not take effect and the provider says so: 504, retryable (KOMOJU's gateway_timeout). */
  | { kind: 'not_processed'; code: string; message: string }
  /** The provider cannot read a 2xx's body as documented. */
  | { kind: 'invalid_response'; message: string }
  /**
   * An error answer. `code` is the provider's own, or null when it gave none; `message` is what
   * merchants read, so it must never carry credentials or card data.
   */
  | { kind: 'answered'; httpStatus: number; code: string | null; message: string; retryable?: boolean };

/**
 * A client's error code as `answered` wants it: the provider's own, or null for the `http_<status>`
 * and `invalid_response` placeholders the clients use when an answer carries no code.
 */
export function ownCode(code: string): string | null {
  return /^http_\d{3}$/.test(code) || code === 'invalid_response' ? null : code;
}

/** The facade's ProviderError for a classified failure, with the shared codes and `retryable`. */
export function providerFailure(provider: string, label: string, failure: ProviderFailure): ProviderError {
  switch (failure.kind) {
    case 'timeout':
      return new ProviderError(provider, PROVIDER_FAILURE_CODES.timeout, `${label} did not answer within ${failure.afterMs} ms`, true, true);
    case 'unreachable':
      return new ProviderError(provider, PROVIDER_FAILURE_CODES.unreachable, `${label} could not be reached (${failure.reason})`, false, true);
    case 'not_processed':
      return new ProviderError(provider, failure.code, failure.message, true, true);
    case 'invalid_response':
      return new ProviderError(provider, PROVIDER_FAILURE_CODES.invalidResponse, failure.message, false, false);
    case 'answered': {
      const status = failure.httpStatus;
      const retryable = failure.retryable ?? (status >= 500 || status === 429);
      // Without a code of the provider's own, a refusal is named by its status (`http_404`), as every client does.
      const code = failure.code ?? (status >= 500 ? PROVIDER_FAILURE_CODES.serverError : status === 429 ? PROVIDER_FAILURE_CODES.rateLimited : `http_${status}`);
      return new ProviderError(provider, code, failure.message, false, retryable);
    }
  }
}

/**
 * Runs one provider call and turns the client's failures into ProviderError through `classify`.
 * An error `classify` does not recognise (null) is rethrown as it is: a bug in an adapter or a
 * client stays a 500, never a 502 that echoes its message.
 */
export async function callProvider<T>(
  provider: string,
  label: string,
  classify: (error: unknown) => ProviderFailure | null,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    const failure = classify(error);
    if (failure === null) throw error;
    throw providerFailure(provider, label, failure);
  }
}
