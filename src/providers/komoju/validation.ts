import { InvalidRequest, UnifiedSessionRequest } from '@paymux/payments';
import { KOMOJU_MAX_AMOUNT, KOMOJU_METADATA_LIMITS } from '@paymux/komoju';
import { KOMOJU_CAPABILITIES } from './capabilities';
import { PAYMUX_SESSION_METADATA_KEY } from './mapping';

/**
 * KOMOJU's own rules for a request that passed the facade's generic checks (Session: Create).
 * Pure: throws `InvalidRequest` naming the field, and never calls KOMOJU.
 */
export function validateKomojuRequest(request: UnifiedSessionRequest): void {
  const caps = KOMOJU_CAPABILITIES;
  if (!caps.modes.includes(request.mode)) throw new InvalidRequest('mode', `mode must be one of ${caps.modes.join(', ')} for provider komoju`);
  if (request.mode === 'customer') {
    if (request.amount !== null) throw new InvalidRequest('amount', 'mode customer saves payment details and takes no amount');
  } else {
    if (request.amount === null || !Number.isSafeInteger(request.amount) || request.amount < 0 || request.amount > KOMOJU_MAX_AMOUNT) {
      throw new InvalidRequest('amount', `amount must be an integer from 0 to ${KOMOJU_MAX_AMOUNT} for provider komoju`);
    }
    if (!request.currency || !caps.currencies.includes(request.currency.toUpperCase())) {
      throw new InvalidRequest('currency', `currency must be one of ${caps.currencies.join(', ')} for provider komoju`);
    }
  }
  if (request.mode === 'customer_payment' && !request.customer) {
    throw new InvalidRequest('customer', 'mode customer_payment needs a customer (customer_id or customer)');
  }
  for (const method of request.paymentMethods ?? []) {
    if (!caps.paymentMethods.includes(method)) {
      throw new InvalidRequest('payment_methods', `payment_methods must be among ${caps.paymentMethods.join(', ')} for provider komoju`);
    }
  }
  if (request.defaultPaymentMethod !== null && !caps.paymentMethods.includes(request.defaultPaymentMethod)) {
    throw new InvalidRequest('default_payment_method', `default_payment_method must be one of ${caps.paymentMethods.join(', ')} for provider komoju`);
  }
  if (request.locale !== null && !caps.locales.includes(request.locale)) {
    throw new InvalidRequest('locale', `locale must be one of ${caps.locales.join(', ')} for provider komoju`);
  }
  const { minSeconds, maxSeconds } = caps.expiry;
  if (!Number.isInteger(request.expiresInSeconds) || request.expiresInSeconds < minSeconds || request.expiresInSeconds > maxSeconds) {
    throw new InvalidRequest('expires_in_seconds', `expires_in_seconds must be from ${minSeconds} to ${maxSeconds} for provider komoju`);
  }
  validateMetadata(request.metadata);
}

function validateMetadata(metadata: Readonly<Record<string, string>>): void {
  if (Object.prototype.hasOwnProperty.call(metadata, PAYMUX_SESSION_METADATA_KEY)) {
    throw new InvalidRequest('metadata', `metadata key ${PAYMUX_SESSION_METADATA_KEY} is reserved`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length > KOMOJU_METADATA_LIMITS.keyMaxLength) {
      throw new InvalidRequest('metadata', `metadata keys must be at most ${KOMOJU_METADATA_LIMITS.keyMaxLength} characters for provider komoju`);
    }
    if (typeof value !== 'string') throw new InvalidRequest('metadata', 'metadata values must be strings for provider komoju');
    if (value.length > KOMOJU_METADATA_LIMITS.valueMaxLength) {
      throw new InvalidRequest('metadata', `metadata values must be at most ${KOMOJU_METADATA_LIMITS.valueMaxLength} characters for provider komoju`);
    }
  }
}
