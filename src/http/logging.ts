import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { type Level, type Logger as Pino } from 'pino';
import type { AppConfig } from '../config/config';
import { PROVIDER_DEFINITIONS } from '../providers/provider-list';

/** Fields whose values are secrets or card data, wherever a logged object carries them. */
const SECRET_FIELDS = [
  'authorization',
  'password',
  'passwordHash',
  'secret',
  'client_secret',
  'clientSecret',
  'secretKey',
  'webhookSecret',
  'callbackSecret',
  'signingSecret',
  'privateKeyPem',
  'key',
  'api_key',
  'apiKey',
  'access_token',
  'card',
  'number',
  'security_code',
  'expiration_month',
  'expiration_year',
  'payment_details',
];

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
  // Each field at the top of a logged object and one level down.
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  '*.*.card',
  '*.*.number',
  '*.*.security_code',
];

/** The request a line is logged for, while Nest handles it (guards, pipes, handler, filter). */
interface RequestScope {
  requestId: string;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/**
 * The process's logger: JSON lines on standard output, with REDACTED_PATHS censored. A line
 * logged while a request is handled carries its `request_id` (through `mixin`, read when a line
 * is written: nothing is built per request for lines that are never logged).
 */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination?: pino.DestinationStream): Pino {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    mixin: () => {
      const scope = requestScope.getStore();
      return scope ? { request_id: scope.requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Runs `next` (the rest of a request's handling) with its id on every line logged meanwhile. */
export function inRequestScope(requestId: string, next: () => void): void {
  requestScope.run({ requestId }, next);
}

/** Routes whose answers are not logged line by line: probes and scrapes. */
const UNLOGGED_URLS = new Set(['/health', '/health/ready', '/metrics']);

/** What the request line reads of Fastify's request and reply. */
interface AnsweredRequest {
  id: string;
  method: string;
  url: string;
}

interface Answer {
  statusCode: number;
  elapsedTime: number;
}

const failures = new WeakMap<AnsweredRequest, Error>();

/** The cause of a 5xx answer, named in the request's log line (serialised safely). */
export function recordFailure(request: AnsweredRequest, error: Error): void {
  failures.set(request, error);
}

/**
 * One line per answered request: method, URL (secrets in the query censored), status and time,
 * at `error` for a 5xx (with its cause) and `info` otherwise. Built only when that level is on.
 */
export function logAnswer(logger: Pino, request: AnsweredRequest, reply: Answer): void {
  const status = reply.statusCode;
  const level: Level = status >= 500 ? 'error' : 'info';
  if (!logger.isLevelEnabled(level) || UNLOGGED_URLS.has(request.url)) return;
  const fields: Record<string, unknown> = {
    request_id: request.id,
    req: { method: request.method, url: redactQuery(request.url) },
    res: { statusCode: status },
    responseTime: Math.round(reply.elapsedTime),
  };
  const failure = failures.get(request);
  if (failure) fields.err = failure;
  logger[level](fields, status >= 500 ? 'request errored' : 'request completed');
}

/**
 * Nest's logger calls mapped onto pino, as Nest's own Logger makes them: the last argument is the
 * logging class's context; a first argument that is an object is merged into the line (an Error
 * becomes `err`); a string after it is the message; a stack trace passed to `error` (Nest's
 * exception handlers do) becomes the error's stack.
 */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  /** Plain text on the log's own stream, so it comes out after every line logged before it. */
  printAfterLogs(text: string): void {
    const stream = (this.pino as unknown as Record<symbol, { write(chunk: string): void }>)[pino.symbols.streamSym];
    stream.write(text);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = params.slice(0, -1);
    const context = params.at(-1);
    if (typeof context === 'string') fields.context = context;
    const text = rest.find((param): param is string => typeof param === 'string');
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, text);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level](Object.assign(fields, message), text);
    } else if (level === 'error' && text !== undefined && /\n\s*at /.test(text)) {
      fields.err = Object.assign(new Error(String(message)), { stack: text });
      this.pino[level](fields, String(message));
    } else {
      this.pino[level](fields, String(message));
    }
  }
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
