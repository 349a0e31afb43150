import type { ProviderCapabilities } from '@paymux/payments';
import {
  KOMOJU_CURRENCIES,
  KOMOJU_DEFAULT_EXPIRES_IN_SECONDS,
  KOMOJU_LOCALES,
  KOMOJU_MAX_EXPIRES_IN_SECONDS,
  KOMOJU_PAYMENT_TYPES,
  KOMOJU_SESSION_MODES,
} from '@paymux/komoju';

/** What paymux offers through KOMOJU (shared/providers/komoju.md, Sessions). */
export const KOMOJU_CAPABILITIES: ProviderCapabilities = Object.freeze({
  currencies: KOMOJU_CURRENCIES,
  locales: KOMOJU_LOCALES,
  paymentMethods: KOMOJU_PAYMENT_TYPES,
  modes: KOMOJU_SESSION_MODES,
  expiry: Object.freeze({ minSeconds: 1, maxSeconds: KOMOJU_MAX_EXPIRES_IN_SECONDS, defaultSeconds: KOMOJU_DEFAULT_EXPIRES_IN_SECONDS }),
  cancel: true,
  // `POST /payments/{id}/refund`, any amount (Payments).
  refunds: true,
  // `POST /payments/{id}/capture` takes an optional `amount` (Payments): partial capture.
  manualCapture: Object.freeze({ partial: true }),
});
