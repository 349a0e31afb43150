/**
 * Spayon's documented request and response shapes, named exactly as the docs name them
 * (shared/providers/spayon.md). Note the mixed naming: snake_case on create, two camelCase
 * fields among them, and camelCase everywhere in the status answer and callbacks.
 */

export const SPAYON_CURRENCIES = ['AMD', 'RUB', 'USD', 'EUR', 'GBP'] as const;
export type SpayonCurrency = (typeof SPAYON_CURRENCIES)[number];

export const SPAYON_LANGUAGES = ['en', 'hy', 'ru'] as const;
export type SpayonLanguage = (typeof SPAYON_LANGUAGES)[number];

export const SPAYON_PAYMENT_METHODS = ['visamaster', 'mir'] as const;
export type SpayonPaymentMethod = (typeof SPAYON_PAYMENT_METHODS)[number];

export const SPAYON_STATUSES = ['pending', 'paid', 'failed', 'expired'] as const;
export type SpayonStatus = (typeof SPAYON_STATUSES)[number];

/** "The session expires 15 minutes after creation" (Create a session, constraints). */
export const SPAYON_SESSION_TTL_SECONDS = 900;
/** `expires_in` of the tokens the docs show: one hour, no refresh tokens. */
export const SPAYON_TOKEN_TTL_SECONDS = 3600;
/** How long before `expires_in` runs out a cached token is replaced. */
export const SPAYON_TOKEN_REFRESH_MARGIN_SECONDS = 60;

export const SPAYON_PRODUCTION_BASE_URL = 'https://api.spayon.io';
export const SPAYON_STAGING_BASE_URL = 'http://staging-spayon-api.eu-north-1.elasticbeanstalk.com';

/** `POST /api/tokens` */
export interface SpayonTokenRequest {
  client_id: string;
  client_secret: string;
}

export interface SpayonTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/** Fields both create options share. */
export interface SpayonSessionCommonFields {
  callback_url: string;
  return_url: string;
  cancel_url?: string;
  email?: string;
  username?: string;
  full_name?: string;
  order_id?: string;
  defaultPaymentMethod?: SpayonPaymentMethod;
  availablePaymentMethods?: SpayonPaymentMethod[];
  language?: SpayonLanguage;
}

/** Option 1: a product configured in the vendor panel. */
export interface SpayonProductSessionRequest extends SpayonSessionCommonFields {
  product_id: number;
}

/** Option 2: custom product; `price` is the exact amount in major units (1000 = 1000 AMD). */
export interface SpayonCustomSessionRequest extends SpayonSessionCommonFields {
  product_name: string;
  price: number;
  currency: SpayonCurrency | Lowercase<SpayonCurrency>;
}

/** `POST /api/product/session` */
export type SpayonCreateSessionRequest = SpayonProductSessionRequest | SpayonCustomSessionRequest;

export interface SpayonCreateSessionResponse {
  session_url: string;
  session_id: string;
  status: SpayonStatus;
  order_id: string | null;
}

/** `GET /api/product/session/{session_id}`: camelCase, `price` a string of major units. */
export interface SpayonSessionStatus {
  sessionId: string;
  status: SpayonStatus;
  productName: string;
  price: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
  orderId: string | null;
}

/** One declined attempt within a session. */
export interface SpayonDeclineReason {
  transactionId: number;
  responseCode: string;
  responseReasonEn: string;
}

/** The callback body: the status fields, plus `declineReasons` on failure. */
export interface SpayonCallback extends SpayonSessionStatus {
  declineReasons?: SpayonDeclineReason[];
}

export type SpayonDeclineSource = 'CLIENT' | 'BANK' | 'ACQUIRER';

export interface SpayonDeclineCode {
  readonly code: string;
  readonly source: SpayonDeclineSource;
  readonly reasonEn: string;
}

/**
 * Decline codes the docs name (ISO 8583 `05`, `14`; EMV 3DS `1A`) plus common ISO 8583 ones and
 * Spayon's own `SP-xx` codes. The `SP-xx` entries and their reasons are our inference: the docs
 * say such codes exist with an ACQUIRER source but do not list them.
 */
export const SPAYON_DECLINE_CODES: readonly SpayonDeclineCode[] = [
  { code: '05', source: 'BANK', reasonEn: 'Do not honour' },
  { code: '14', source: 'CLIENT', reasonEn: 'Invalid card data' },
  { code: '1A', source: 'CLIENT', reasonEn: '3D-Secure authentication failed' },
  { code: '51', source: 'BANK', reasonEn: 'Insufficient funds' },
  { code: 'SP-01', source: 'ACQUIRER', reasonEn: 'Acquirer unavailable' },
  { code: 'SP-02', source: 'ACQUIRER', reasonEn: 'Declined by acquirer risk rules' },
];

export function findDeclineCode(code: string): SpayonDeclineCode | undefined {
  return SPAYON_DECLINE_CODES.find((entry) => entry.code === code);
}
