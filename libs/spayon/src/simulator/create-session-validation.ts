import { MoneyError, parseMajorUnits } from '@paymux/payments';
import {
  SPAYON_CURRENCIES,
  SPAYON_LANGUAGES,
  SPAYON_PAYMENT_METHODS,
  SpayonCurrency,
  SpayonLanguage,
  SpayonPaymentMethod,
} from '../types';

export interface SimulatorProduct {
  id: number;
  name: string;
  /** Major units, as Spayon shows prices: `"5000.00"`. */
  price: string;
  currency: SpayonCurrency;
}

/** A create request that passed Spayon's checks, with the product resolved. */
export interface AcceptedSessionRequest {
  productName: string;
  price: string;
  currency: SpayonCurrency;
  callbackUrl: string;
  returnUrl: string;
  cancelUrl: string | null;
  email: string | null;
  username: string | null;
  fullName: string | null;
  orderId: string | null;
  defaultPaymentMethod: SpayonPaymentMethod | null;
  availablePaymentMethods: SpayonPaymentMethod[];
  language: SpayonLanguage;
}

export type CreateSessionVerdict = { ok: true; value: AcceptedSessionRequest } | { ok: false; errors: string[] };

/**
 * Spayon's checks of `POST /api/product/session` (Create a session, field reference): one of
 * the two options, the documented lists, and `https` for callback_url/return_url in production.
 */
export function validateCreateSession(
  body: unknown,
  context: { production: boolean; findProduct: (id: number) => SimulatorProduct | undefined },
): CreateSessionVerdict {
  const errors: string[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, errors: ['body must be a JSON object'] };
  const fields = body as Record<string, unknown>;

  let product: { productName: string; price: string; currency: SpayonCurrency } | null = null;
  const customFields = ['product_name', 'price', 'currency'].filter((name) => fields[name] !== undefined);
  if (fields.product_id !== undefined) {
    if (customFields.length > 0) errors.push(`product_id cannot be combined with ${customFields.join(', ')}`);
    if (!Number.isSafeInteger(fields.product_id)) errors.push('product_id must be an integer');
    else {
      const found = context.findProduct(fields.product_id as number);
      if (!found) errors.push(`product_id ${String(fields.product_id)} is not a product of this vendor`);
      else product = { productName: found.name, price: found.price, currency: found.currency };
    }
  } else {
    const name = fields.product_name;
    if (typeof name !== 'string' || name.trim() === '') errors.push('product_name is required when product_id is absent');
    const currency = typeof fields.currency === 'string' ? fields.currency.toUpperCase() : undefined;
    if (currency === undefined) errors.push('currency is required when product_id is absent');
    else if (!(SPAYON_CURRENCIES as readonly string[]).includes(currency)) {
      errors.push(`currency must be one of ${SPAYON_CURRENCIES.join(', ')}`);
    }
    const price = readPrice(fields.price, currency, errors);
    if (errors.length === 0) product = { productName: name as string, price: price!, currency: currency as SpayonCurrency };
  }

  const callbackUrl = readUrl(fields, 'callback_url', { required: true, httpsOnly: context.production }, errors);
  const returnUrl = readUrl(fields, 'return_url', { required: true, httpsOnly: context.production }, errors);
  const cancelUrl = readUrl(fields, 'cancel_url', { required: false, httpsOnly: false }, errors);
  const email = readText(fields, 'email', errors);
  const username = readText(fields, 'username', errors);
  const fullName = readText(fields, 'full_name', errors);
  const orderId = readText(fields, 'order_id', errors);

  let availablePaymentMethods: SpayonPaymentMethod[] = [...SPAYON_PAYMENT_METHODS];
  if (fields.availablePaymentMethods !== undefined) {
    const list = fields.availablePaymentMethods;
    if (!Array.isArray(list) || list.length === 0 || !list.every(isPaymentMethod)) {
      errors.push(`availablePaymentMethods must be a non-empty array of ${SPAYON_PAYMENT_METHODS.join(', ')}`);
    } else availablePaymentMethods = [...new Set(list)];
  }
  let defaultPaymentMethod: SpayonPaymentMethod | null = null;
  if (fields.defaultPaymentMethod !== undefined) {
    if (!isPaymentMethod(fields.defaultPaymentMethod)) errors.push(`defaultPaymentMethod must be one of ${SPAYON_PAYMENT_METHODS.join(', ')}`);
    else if (!availablePaymentMethods.includes(fields.defaultPaymentMethod)) errors.push('defaultPaymentMethod must be one of availablePaymentMethods');
    else defaultPaymentMethod = fields.defaultPaymentMethod;
  }
  let language: SpayonLanguage = 'en';
  if (fields.language !== undefined) {
    if (typeof fields.language !== 'string' || !(SPAYON_LANGUAGES as readonly string[]).includes(fields.language)) {
      errors.push(`language must be one of ${SPAYON_LANGUAGES.join(', ')}`);
    } else language = fields.language as SpayonLanguage;
  }

  if (errors.length > 0 || !product) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...product,
      callbackUrl: callbackUrl!,
      returnUrl: returnUrl!,
      cancelUrl,
      email,
      username,
      fullName,
      orderId,
      defaultPaymentMethod,
      availablePaymentMethods,
      language,
    },
  };
}

function isPaymentMethod(value: unknown): value is SpayonPaymentMethod {
  return typeof value === 'string' && (SPAYON_PAYMENT_METHODS as readonly string[]).includes(value);
}

/** `price` is a JSON number of major units; more decimals than the currency has is refused. */
function readPrice(value: unknown, currency: string | undefined, errors: string[]): string | undefined {
  if (value === undefined) {
    errors.push('price is required when product_id is absent');
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    errors.push('price must be a positive number');
    return undefined;
  }
  const text = String(value);
  if (currency && (SPAYON_CURRENCIES as readonly string[]).includes(currency)) {
    try {
      parseMajorUnits(text, currency);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      errors.push(`price ${text} is not a valid ${currency} amount`);
    }
  }
  return text;
}

function readUrl(
  fields: Record<string, unknown>,
  name: string,
  rules: { required: boolean; httpsOnly: boolean },
  errors: string[],
): string | null {
  const value = fields[name];
  if (value === undefined || value === null) {
    if (rules.required) errors.push(`${name} is required`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    errors.push(`${name} must be a valid URL`);
    return null;
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    errors.push(`${name} must be an http(s) URL`);
    return null;
  }
  if (rules.httpsOnly && url.protocol !== 'https:') {
    errors.push(`${name} must use https in production`);
    return null;
  }
  return value;
}

function readText(fields: Record<string, unknown>, name: string, errors: string[]): string | null {
  const value = fields[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push(`${name} must be a string`);
    return null;
  }
  return value;
}
