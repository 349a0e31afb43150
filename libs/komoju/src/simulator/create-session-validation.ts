import {
  KOMOJU_CREATE_SESSION_FIELDS,
  KOMOJU_LOCALES,
  KOMOJU_MAX_AMOUNT,
  KOMOJU_MAX_EXPIRES_IN_SECONDS,
  KOMOJU_METADATA_LIMITS,
  KOMOJU_PAYMENT_TYPES,
  KOMOJU_SESSION_MODES,
  KomojuCreateSessionBody,
  KomojuErrorBody,
} from '../types';

/**
 * NOT IN PUBLIC DOCS: which rejection answers which status. The Errors page gives 400
 * `bad_request`, 422 `unprocessable_entity` (well-formed but semantically invalid) and, in its
 * example, `missing_parameter`. Choice: a body that is not an object or names an unknown parameter
 * is 400 `bad_request`; a missing required parameter 400 `missing_parameter`; a present but
 * invalid one 422 `unprocessable_entity`.
 */
export const KOMOJU_VALIDATION_STATUS = Object.freeze({ bad_request: 400, missing_parameter: 400, unprocessable_entity: 422 } as const);
export type KomojuValidationCode = keyof typeof KOMOJU_VALIDATION_STATUS;

export class KomojuValidationError extends Error {
  constructor(
    readonly code: KomojuValidationCode,
    message: string,
    readonly param: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return KOMOJU_VALIDATION_STATUS[this.code];
  }

  toBody(): KomojuErrorBody {
    return { error: { message: this.message, code: this.code, param: this.param } };
  }
}

export interface AccountSettings {
  currencies: readonly string[];
  /** Payment types activated on the simulated account. */
  paymentTypes: readonly string[];
  customerExists: (id: string) => boolean;
}

const missing = (param: string) => new KomojuValidationError('missing_parameter', `A required parameter (${param}) is missing`, param);
const invalid = (param: string, why: string) => new KomojuValidationError('unprocessable_entity', `${param} ${why}`, param);
const unknown = (param: string) => new KomojuValidationError('bad_request', `${param} is not a known parameter`, param);

/**
 * Checks a `POST /sessions` body as Session: Create documents it, each rejection naming the
 * parameter (see KOMOJU_VALIDATION_STATUS).
 */
export function validateCreateSessionBody(body: unknown, account: AccountSettings): KomojuCreateSessionBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new KomojuValidationError('bad_request', 'the body must be a JSON object', 'body');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(KOMOJU_CREATE_SESSION_FIELDS as readonly string[]).includes(key)) throw unknown(key);
  }
  if (input.mode === undefined) throw missing('mode');
  if (!(KOMOJU_SESSION_MODES as readonly unknown[]).includes(input.mode)) throw invalid('mode', `must be one of ${KOMOJU_SESSION_MODES.join(', ')}`);
  const paymentMode = input.mode !== 'customer';

  if (input.return_url !== undefined && !isAbsoluteUrl(input.return_url)) throw invalid('return_url', 'must be an absolute URL');
  if (paymentMode && input.amount === undefined) throw missing('amount');
  if (input.amount !== undefined && !(Number.isInteger(input.amount) && (input.amount as number) >= 0 && (input.amount as number) <= KOMOJU_MAX_AMOUNT)) {
    throw invalid('amount', 'must be an integer from 0 to 2147483647');
  }
  if (paymentMode && input.currency === undefined) throw missing('currency');
  if (input.currency !== undefined && !(typeof input.currency === 'string' && account.currencies.includes(input.currency))) {
    throw invalid('currency', `must be one of ${account.currencies.join(', ')}`);
  }
  if (input.email !== undefined && !(typeof input.email === 'string' && /^[^@\s]+@[^@\s]+$/.test(input.email))) throw invalid('email', 'is not an e-mail address');
  if (input.expires_in_seconds !== undefined) {
    const seconds = input.expires_in_seconds;
    if (!(Number.isInteger(seconds) && (seconds as number) >= 1 && (seconds as number) <= KOMOJU_MAX_EXPIRES_IN_SECONDS)) {
      throw invalid('expires_in_seconds', `must be an integer from 1 to ${KOMOJU_MAX_EXPIRES_IN_SECONDS}`);
    }
  }
  if (input.external_customer_id !== undefined && !isNonEmptyString(input.external_customer_id)) throw invalid('external_customer_id', 'must be a string');
  if (input.customer_id !== undefined) {
    if (!isNonEmptyString(input.customer_id) || !account.customerExists(input.customer_id)) throw invalid('customer_id', 'is not a known customer');
    if (!isCustomerMode(input.mode)) throw invalid('customer_id', 'is only taken in customer modes');
  }
  if (input.payment_types !== undefined) {
    if (!Array.isArray(input.payment_types) || input.payment_types.length === 0) throw invalid('payment_types', 'must be a non-empty array');
    for (const type of input.payment_types) {
      if (!(KOMOJU_PAYMENT_TYPES as readonly unknown[]).includes(type)) throw invalid('payment_types', `has an unknown payment type ${String(type)}`);
      if (!account.paymentTypes.includes(type as string)) throw invalid('payment_types', `${String(type)} is not activated on this account`);
    }
  }
  if (input.default_locale !== undefined && !(KOMOJU_LOCALES as readonly unknown[]).includes(input.default_locale)) {
    throw invalid('default_locale', `must be one of ${KOMOJU_LOCALES.join(', ')}`);
  }
  if (input.line_items !== undefined) validateLineItems(input.line_items);
  if (input.metadata !== undefined) validateMetadata(input.metadata);
  if (input.payment_data !== undefined) validatePaymentData(input.payment_data);
  return input as unknown as KomojuCreateSessionBody;
}

function isCustomerMode(mode: unknown): boolean {
  return mode === 'customer' || mode === 'customer_payment';
}

function validateLineItems(items: unknown): void {
  if (!Array.isArray(items)) throw invalid('line_items', 'must be an array');
  for (const item of items) {
    const line = item as Record<string, unknown> | null;
    if (!line || typeof line !== 'object') throw invalid('line_items', 'must hold objects');
    if (!isNonEmptyString(line.description)) throw invalid('line_items', 'need a description');
    if (!(Number.isInteger(line.amount) && (line.amount as number) >= 0)) throw invalid('line_items', 'need an integer amount ≥ 0');
    if (!(Number.isInteger(line.quantity) && (line.quantity as number) >= 1)) throw invalid('line_items', 'need an integer quantity ≥ 1');
    if (line.image !== undefined && !isAbsoluteUrl(line.image)) throw invalid('line_items', 'image must be an absolute URL');
  }
}

function validateMetadata(metadata: unknown): void {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) throw invalid('metadata', 'must be an object');
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length > KOMOJU_METADATA_LIMITS.keyMaxLength) throw invalid('metadata', `keys must be at most ${KOMOJU_METADATA_LIMITS.keyMaxLength} characters`);
    if (typeof value !== 'string') throw invalid('metadata', 'values must be strings');
    if (value.length > KOMOJU_METADATA_LIMITS.valueMaxLength) throw invalid('metadata', `values must be at most ${KOMOJU_METADATA_LIMITS.valueMaxLength} characters`);
  }
}

function validatePaymentData(data: unknown): void {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw invalid('payment_data', 'must be an object');
  const { capture, external_order_num: orderNum } = data as Record<string, unknown>;
  if (capture !== undefined && capture !== 'auto' && capture !== 'manual') throw invalid('payment_data[capture]', 'must be auto or manual');
  if (orderNum !== undefined && !isNonEmptyString(orderNum)) throw invalid('payment_data[external_order_num]', 'must be a string');
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
