import { ProviderError } from '@paymux/payments';

/**
 * A failure another provider may not share: no answer (connection refused or reset, a timeout),
 * a 5xx or a rate limit, as the adapters mark it (`ProviderError.retryable`, from the shared
 * provider-failure mapper). A refusal of the request itself (a 4xx, a bad answer) is not: it is
 * the merchant's to fix, and failing over would only hide it.
 */
export function isRetryable(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.retryable;
}
