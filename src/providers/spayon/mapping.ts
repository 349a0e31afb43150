import {
  InvalidRequest,
  MoneyError,
  parseMajorUnits,
  ProviderError,
  ProviderStatusReport,
  ReportedAmount,
  SessionFailure,
  SessionStatus,
  toMajorUnitString,
  UnifiedProduct,
  UnifiedSessionRequest,
} from '@paymux/payments';
import {
  findDeclineCode,
  SPAYON_CURRENCIES,
  SPAYON_LANGUAGES,
  SPAYON_PAYMENT_METHODS,
  SPAYON_STATUSES,
  SpayonCreateSessionRequest,
  SpayonCurrency,
  SpayonDeclineReason,
  SpayonLanguage,
  SpayonPaymentMethod,
  SpayonSessionCommonFields,
  SpayonStatus,
} from '@paymux/spayon';

export const SPAYON = 'spayon';

/**
 * Minor units → Spayon's `price`: a JSON number of major units (Create a session, custom
 * product). JSON writes a number in its shortest form ("10.50" travels as 10.5), so the number
 * is accepted only when that form reads back as exactly the same amount.
 */
export function toSpayonPrice(amount: number, currency: string): number {
  let major: string;
  try {
    major = toMajorUnitString(amount, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new InvalidRequest('amount', `amount ${amount} cannot be sent to provider spayon: ${error.message}`);
    throw error;
  }
  if (amount <= 0) throw new InvalidRequest('amount', 'amount must be greater than 0 for provider spayon');
  const price = Number(major);
  if (!isExactly(price, amount, currency)) {
    throw new InvalidRequest('amount', `amount ${amount} ${currency} cannot be expressed exactly as a Spayon price (${major})`);
  }
  return price;
}

function isExactly(price: number, amount: number, currency: string): boolean {
  try {
    return parseMajorUnits(JSON.stringify(price), currency) === amount;
  } catch (error) {
    if (error instanceof MoneyError) return false;
    throw error;
  }
}

/** Spayon's status answer `price` ("5000.00", "10") → minor units, exactly. */
export function fromSpayonPrice(price: string, currency: string): number {
  try {
    return parseMajorUnits(price, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new ProviderError(SPAYON, 'invalid_price', `Spayon answered a price paymux cannot read: ${error.message}`);
    throw error;
  }
}

export function toSpayonCurrency(currency: string): SpayonCurrency {
  const upper = currency.toUpperCase();
  if (!(SPAYON_CURRENCIES as readonly string[]).includes(upper)) {
    throw new InvalidRequest('currency', `currency must be one of ${SPAYON_CURRENCIES.join(', ')} for provider spayon`);
  }
  return upper as SpayonCurrency;
}

/** paymux locale (`en`, `hy-AM`, `RU`) → Spayon `language`. */
export function toSpayonLanguage(locale: string): SpayonLanguage {
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  if (!(SPAYON_LANGUAGES as readonly string[]).includes(primary)) {
    throw new InvalidRequest('locale', `locale must be one of ${SPAYON_LANGUAGES.join(', ')} for provider spayon`);
  }
  return primary as SpayonLanguage;
}

function toSpayonMethod(method: string, param: string): SpayonPaymentMethod {
  if (!(SPAYON_PAYMENT_METHODS as readonly string[]).includes(method)) {
    throw new InvalidRequest(param, `${param} must be among ${SPAYON_PAYMENT_METHODS.join(', ')} for provider spayon`);
  }
  return method as SpayonPaymentMethod;
}

/** The product's id in the Spayon vendor panel: its `spayon` catalogue entry, when it has one. */
export function spayonProductId(product: UnifiedProduct): number | null {
  const id = product.providerProducts[SPAYON];
  return typeof id === 'number' ? id : null;
}

/**
 * The unified request → Spayon's create body: the product_id option for a product that has a
 * Spayon product id, the custom option (name, price, currency) for everything else.
 */
export function toSpayonCreateBody(request: UnifiedSessionRequest): SpayonCreateSessionRequest {
  if (request.mode !== 'payment') throw new InvalidRequest('mode', `mode ${request.mode} is not supported by provider spayon`);
  const common = toCommonFields(request);
  const product = request.product;
  const productId = product ? spayonProductId(product) : null;
  if (productId !== null) return { product_id: productId, ...common };

  const amount = request.amount ?? product?.amount ?? null;
  const currencyCode = request.currency ?? product?.currency ?? null;
  if (amount === null) throw new InvalidRequest('amount', 'amount is required for provider spayon');
  if (currencyCode === null) throw new InvalidRequest('currency', 'currency is required for provider spayon');
  const currency = toSpayonCurrency(currencyCode);
  return {
    product_name: product?.name ?? request.description ?? (request.orderId ? `Order ${request.orderId}` : `Payment ${request.sessionId}`),
    price: toSpayonPrice(amount, currency),
    currency,
    ...common,
  };
}

function toCommonFields(request: UnifiedSessionRequest): SpayonSessionCommonFields {
  // Both through paymux's relay: Spayon lands the buyer on return_url whatever the result, and its
  // page shows a back button only when cancel_url is given; the relay then picks the merchant's
  // return_url or cancel_url from the session's status (providers/spayon.md, Create a session).
  const fields: SpayonSessionCommonFields = { callback_url: request.webhookUrl, return_url: request.buyerReturnUrl, cancel_url: request.buyerReturnUrl };
  const customer = request.customer;
  if (customer?.email) fields.email = customer.email;
  if (customer?.username) fields.username = customer.username;
  if (customer?.fullName) fields.full_name = customer.fullName;
  if (request.orderId !== null) fields.order_id = request.orderId;
  if (request.paymentMethods !== null) {
    fields.availablePaymentMethods = request.paymentMethods.map((method) => toSpayonMethod(method, 'payment_methods'));
  }
  if (request.defaultPaymentMethod !== null) {
    fields.defaultPaymentMethod = toSpayonMethod(request.defaultPaymentMethod, 'default_payment_method');
    if (fields.availablePaymentMethods && !fields.availablePaymentMethods.includes(fields.defaultPaymentMethod)) {
      throw new InvalidRequest('default_payment_method', 'default_payment_method must be in payment_methods');
    }
  }
  if (request.locale !== null) fields.language = toSpayonLanguage(request.locale);
  return fields;
}

const UNIFIED_STATUS: Readonly<Record<SpayonStatus, SessionStatus>> = {
  pending: 'open',
  paid: 'succeeded',
  // "failed, declined or cancelled" (Session status): all one terminal failure for paymux.
  failed: 'failed',
  expired: 'expired',
};

export function isSpayonStatus(status: unknown): status is SpayonStatus {
  return typeof status === 'string' && (SPAYON_STATUSES as readonly string[]).includes(status);
}

export function toUnifiedStatus(status: SpayonStatus): SessionStatus {
  return UNIFIED_STATUS[status];
}

/**
 * The failure of a failed session: the LAST declined attempt decides (earlier ones were
 * retried by the buyer). Unknown codes are kept as they come, with no source.
 */
export function toFailure(declineReasons: readonly SpayonDeclineReason[] | undefined): SessionFailure {
  const last = declineReasons?.[declineReasons.length - 1];
  if (!last) return { code: 'failed', message: 'Spayon reported the session failed without a decline reason', source: null };
  return {
    code: String(last.responseCode),
    message: last.responseReasonEn || `Declined (${last.responseCode})`,
    source: findDeclineCode(String(last.responseCode))?.source ?? null,
  };
}

/**
 * A status answer or callback → the unified report, with the `price` and `currency` Spayon states
 * (both documented on the status answer and the callback) as the amount it charges, so that the
 * facade can compare it with the session's: for a catalogue product Spayon charges its own price.
 */
export function toStatusReport(answer: {
  sessionId: string;
  status: SpayonStatus;
  declineReasons?: readonly SpayonDeclineReason[];
  price?: unknown;
  currency?: unknown;
}): ProviderStatusReport {
  const status = toUnifiedStatus(answer.status);
  return {
    providerSessionId: answer.sessionId,
    status,
    providerStatus: answer.status,
    failure: status === 'failed' ? toFailure(answer.declineReasons) : null,
    amount: toReportedAmount(answer.price, answer.currency),
  };
}

/** Spayon's `price` (a string of major units; a number tolerated) and `currency` → minor units. */
function toReportedAmount(price: unknown, currency: unknown): ReportedAmount | null {
  if (price === undefined && currency === undefined) return null;
  if ((typeof price !== 'string' && typeof price !== 'number') || typeof currency !== 'string' || currency === '') {
    throw new ProviderError(SPAYON, 'invalid_price', 'Spayon stated a price without a readable amount and currency');
  }
  return { amount: fromSpayonPrice(String(price), currency), currency: currency.toUpperCase() };
}
