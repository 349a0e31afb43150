import { InvalidRequest } from '@paymux/payments';

/** Deeper than any request the API documents; a 10,000-deep body would overflow validation. */
export const MAX_INPUT_DEPTH = 32;

export interface InputProblem {
  param: string;
  message: string;
}

/**
 * The first value in `input` that no column can store or no validator should walk: a NUL
 * character (PostgreSQL text refuses it), a lone UTF-16 surrogate (not UTF-8 at all), or
 * nesting deeper than MAX_INPUT_DEPTH. Iterative, so depth itself cannot overflow the stack.
 * `param` is the dotted path of the offending field (the top-level field for nesting).
 */
export function findUnstorableInput(input: unknown, prefix = ''): InputProblem | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: prefix, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { param: path || 'body', message: `${path || 'body'} ${problem}` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      const field = path.split('.')[0] || 'body';
      return { param: field, message: `${field} is nested more than ${MAX_INPUT_DEPTH} levels deep` };
    }
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path ? `${path}.${key}` : key;
      const keyProblem = stringProblem(key);
      if (keyProblem) return { param: path || 'body', message: `${path || 'body'} has a field name that ${keyProblem}` };
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains a lone surrogate)';
  return null;
}

/** What the guard reads of a Fastify request. */
export interface GuardedRequest {
  url: string;
  params: unknown;
  query: unknown;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Provider callbacks keep their raw bytes: the webhook service checks what it stores after the signature. */
const RAW_BODY_ROUTES = /^\/v1\/webhooks\//;

/**
 * Before validation on every route: path parameters, query and body must be storable (see
 * findUnstorableInput), and a JSON body must not be `null` (it is not an object of fields).
 * Returns the refusal, if any, for the hook to pass on.
 */
export function guardRequestInput(request: GuardedRequest): InvalidRequest | undefined {
  const problem =
    findUnstorableInput(request.params ?? {}) ??
    findUnstorableInput(request.query ?? {}) ??
    (RAW_BODY_ROUTES.test(request.url) ? null : findUnstorableInput(request.body));
  if (problem) return refusal(problem.param, problem.message);
  if (request.body === null && isJson(request.headers['content-type'] as string | undefined)) {
    return refusal('body', 'Body must be a JSON object, not null');
  }
  return undefined;
}

/** A 400 that Fastify-level handlers (the admin panel's) also read as one, by its statusCode. */
function refusal(param: string, message: string): InvalidRequest {
  return Object.assign(new InvalidRequest(param, message), { statusCode: 400 });
}

function isJson(contentType: string | undefined): boolean {
  return typeof contentType === 'string' && /^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType);
}
