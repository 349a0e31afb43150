import { ProviderError } from '@paymux/payments';

/** Codes the provider adapters give a call that never reached a working provider. */
const RETRYABLE_CODES = new Set([
  'timeout', 'unreachable', 'connection_failed', 'network_error',
  // KOMOJU's documented 5xx codes.
  'internal_server_error', 'bad_gateway', 'service_unavailable', 'gateway_timeout',
  'rate_limited', 'rate_limit_exceeded', 'too_many_requests',
]);

/**
 * A failure another provider may not share: connection refused or reset, a timeout, a 5xx or a
 * rate limit (429). A refusal of the request itself (4xx, a bad answer) is not: it is the
 * merchant's to fix, and failing over would only hide it.
 */
export function isRetryable(error: unknown): error is ProviderError {
  if (!(error instanceof ProviderError)) return false;
  return error.timedOut || RETRYABLE_CODES.has(error.code) || /^http_(5\d\d|429)$/.test(error.code);
}
