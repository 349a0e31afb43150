import { InvalidRequest, PaymentProvider, ProviderRegistry, UnifiedSessionRequest } from '@paymux/payments';

/** What routing and capability checks look at, before anything is stored. */
export type RoutableRequest = Pick<
  UnifiedSessionRequest,
  'mode' | 'currency' | 'locale' | 'paymentMethods' | 'defaultPaymentMethod'
> & { expiresInSeconds: number | null; captureMethod?: UnifiedSessionRequest['captureMethod'] };

/**
 * Checks a request against one provider's declared capabilities. Returns the first problem as an
 * InvalidRequest naming the field, or null.
 */
export function capabilityProblem(provider: PaymentProvider, request: RoutableRequest): InvalidRequest | null {
  const caps = provider.capabilities;
  const name = provider.name;
  if (!caps.modes.includes(request.mode)) {
    return new InvalidRequest('mode', `mode must be one of ${caps.modes.join(', ')} for provider ${name}`);
  }
  if (request.currency !== null && !caps.currencies.includes(request.currency)) {
    return new InvalidRequest('currency', `currency must be one of ${caps.currencies.join(', ')} for provider ${name}`);
  }
  if (request.locale !== null && !caps.locales.includes(request.locale)) {
    return new InvalidRequest('locale', `locale must be one of ${caps.locales.join(', ')} for provider ${name}`);
  }
  for (const method of request.paymentMethods ?? []) {
    if (!caps.paymentMethods.includes(method)) {
      return new InvalidRequest('payment_methods', `payment_methods may contain only ${caps.paymentMethods.join(', ')} for provider ${name}`);
    }
  }
  if (request.defaultPaymentMethod !== null && !caps.paymentMethods.includes(request.defaultPaymentMethod)) {
    return new InvalidRequest('default_payment_method', `default_payment_method must be one of ${caps.paymentMethods.join(', ')} for provider ${name}`);
  }
  if (request.captureMethod === 'manual' && !caps.manualCapture) {
    return new InvalidRequest('capture', `capture: manual is not supported by provider ${name}: it has no capture call`, 'capture_unsupported');
  }
  const { minSeconds, maxSeconds } = caps.expiry;
  if (request.expiresInSeconds !== null && (request.expiresInSeconds < minSeconds || request.expiresInSeconds > maxSeconds)) {
    const bounds = minSeconds === maxSeconds ? `exactly ${minSeconds}` : `between ${minSeconds} and ${maxSeconds}`;
    return new InvalidRequest('expires_in_seconds', `expires_in_seconds must be ${bounds} for provider ${name}`);
  }
  return null;
}

/**
 * The provider for a request: the named one (checked), or the first in `order` that is
 * registered and supports every option of the request.
 */
export function chooseProvider(registry: ProviderRegistry, order: readonly string[], requested: string | null, request: RoutableRequest): PaymentProvider {
  if (requested !== null) return pinnedProvider(registry, requested, request);
  return fittingProviders(registry, order, request)[0];
}

/** The provider a request names, checked against its capabilities. */
export function pinnedProvider(registry: ProviderRegistry, requested: string, request: RoutableRequest): PaymentProvider {
  if (!registry.has(requested)) {
    throw new InvalidRequest('provider', `provider must be one of ${registry.names().join(', ') || '(none configured)'}`);
  }
  const provider = registry.get(requested);
  const problem = capabilityProblem(provider, request);
  if (problem) throw problem;
  return provider;
}

/** The registered providers of `order` that support every option of the request, in that order. */
export function fitsOf(registry: ProviderRegistry, order: readonly string[], request: RoutableRequest): PaymentProvider[] {
  return order.filter((name) => registry.has(name)).map((name) => registry.get(name)).filter((provider) => capabilityProblem(provider, request) === null);
}

/** As fitsOf, but none fitting is a 400 naming the first provider's problem. */
export function fittingProviders(registry: ProviderRegistry, order: readonly string[], request: RoutableRequest): PaymentProvider[] {
  const fitting = fitsOf(registry, order, request);
  if (fitting.length > 0) return fitting;
  const candidates = order.filter((name) => registry.has(name)).map((name) => registry.get(name));
  const firstProblem = candidates.length > 0 ? capabilityProblem(candidates[0], request) : null;
  throw new InvalidRequest(
    firstProblem?.param ?? 'provider',
    `no configured provider supports this request${firstProblem ? ` (${candidates[0].name}: ${firstProblem.message})` : ''}`,
    'no_provider_available',
  );
}
