import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config';
import { PROVIDER_DEFINITIONS } from '../providers/provider-list';

/**
 * Never logged: credentials, signatures, secrets, card data. Bodies are not logged at all; these
 * paths catch the same fields if an object carrying them is logged on purpose or by accident.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  // Each provider's signature headers, from its definition.
  ...[...new Set(PROVIDER_DEFINITIONS.flatMap((definition) => definition.secretHeaders))].map((header) => `req.headers["${header}"]`),
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.password',
  '*.passwordHash',
  '*.secret',
  '*.client_secret',
  '*.clientSecret',
  '*.secretKey',
  '*.webhookSecret',
  '*.callbackSecret',
  '*.signingSecret',
  '*.privateKeyPem',
  '*.key',
  '*.api_key',
  '*.apiKey',
  '*.access_token',
  '*.card',
  '*.number',
  '*.security_code',
  '*.expiration_month',
  '*.expiration_year',
  '*.payment_details',
  '*.*.card',
  '*.*.number',
  '*.*.security_code',
];

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
      customAttributeKeys: { reqId: 'request_id' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactQuery(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    },
  };
}

function redactQuery(url: string): string {
  return url.replace(/([?&](?:key|token|secret|api_key)=)[^&]*/gi, '$1[redacted]');
}

/** Errors are logged with type, message and stack only: never an HTTP client's config/request/response. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (error === null || typeof error !== 'object') return { message: String(error) };
  const fields = error as { name?: unknown; type?: unknown; message?: unknown; stack?: unknown; code?: unknown };
  return {
    type: fields.name ?? fields.type,
    message: typeof fields.message === 'string' ? fields.message : String(fields.message ?? ''),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.stack === 'string' ? { stack: fields.stack } : {}),
  };
}
