import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TEST_API_KEY, TestApp } from '../support/app';

/**
 * Every operation of the committed OpenAPI document, called with hostile input generated from
 * its own parameters and body schema (a fixed seed, so a failure repeats): never a 5xx, and
 * every refusal in API.md's error shape with an X-Request-Id.
 */
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
}
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ in: string; name: string }>;
  body: Schema | null;
}

const SEED = 20261202;
const REQUESTS_PER_OPERATION = 24;
const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resolve(schema: Schema | undefined): Schema {
  if (!schema?.$ref) return schema ?? {};
  return document.components.schemas[schema.$ref.split('/').pop()!];
}

const operations: Operation[] = Object.entries(document.paths as Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> } }>>)
  .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({
    method, path,
    parameters: operation.parameters ?? [],
    body: operation.requestBody ? resolve(Object.values(operation.requestBody.content)[0].schema) : null,
  })));

const deep = (levels: number): unknown => { let value: unknown = 1; for (let i = 0; i < levels; i++) value = { a: value }; return value; };
const HOSTILE: unknown[] = [
  null, '', '\u0000', 'a\u0000b', 'a\ud800b', '\udc00', 'x'.repeat(5000), 2 ** 31, 2 ** 53, -1, 0, 1.5, 1e308, true, [], {}, [null],
  { __proto__x: 1 }, deep(40), '2026-02-30T00:00:00Z', 'https://user:pw@hooks.example.com/x', 'https://[::ffff:0:7f00:1]/x', 'ftp://x', '🙂',
];
const HOSTILE_TEXT = ['%00', 'a%00b', '%ZZ', '%ED%A0%80', 'x'.repeat(300), '-1', '0', '99999999999999999999', 'sess_%00', 'cus_', '..', '%2e%2e', 'null', '2026-13-45T99:00:00Z'];

function plausible(schema: Schema, pick: () => number): unknown {
  const resolved = resolve(schema);
  if (resolved.enum) return resolved.enum[Math.floor(pick() * resolved.enum.length)];
  switch (resolved.type) {
    case 'integer': case 'number': return 1000;
    case 'boolean': return true;
    case 'array': return [plausible(resolved.items ?? {}, pick)];
    case 'object':
      if (!resolved.properties) return { k: 'v' };
      return Object.fromEntries(Object.entries(resolved.properties).map(([name, property]) => [name, plausible(property, pick)]));
    default: return 'USD';
  }
}

function hostileBody(operation: Operation, pick: () => number): string {
  const choice = pick();
  if (choice < 0.1) return ['null', '[]', '"x"', '{"a":', '1', ''][Math.floor(pick() * 6)];
  const body = (plausible(operation.body ?? { type: 'object' }, pick) ?? {}) as Record<string, unknown>;
  const names = Object.keys(body);
  if (choice < 0.2 || names.length === 0) body[`unknown_${Math.floor(pick() * 100)}`] = 1;
  else body[names[Math.floor(pick() * names.length)]] = HOSTILE[Math.floor(pick() * HOSTILE.length)];
  return JSON.stringify(body);
}

function hostileUrl(operation: Operation, pick: () => number): string {
  const path = operation.path.replace(/\{[^}]+\}/g, () => HOSTILE_TEXT[Math.floor(pick() * HOSTILE_TEXT.length)]);
  const query = operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
  const names = pick() < 0.3 || query.length === 0 ? ['unknown_param'] : [query[Math.floor(pick() * query.length)]];
  return `${path}?${names.map((name) => `${name}=${HOSTILE_TEXT[Math.floor(pick() * HOSTILE_TEXT.length)]}`).join('&')}`;
}

describe('fuzzing every operation of openapi.json', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(() => app.close());

  it.each(operations.map((operation) => [`${operation.method.toUpperCase()} ${operation.path}`, operation] as const))(
    '%s never answers 5xx, and refuses in the error shape with an X-Request-Id',
    async (name, operation) => {
      const pick = random(SEED + name.length * 7919 + name.charCodeAt(name.length - 1));
      const problems: string[] = [];
      for (let i = 0; i < REQUESTS_PER_OPERATION; i++) {
        const url = hostileUrl(operation, pick);
        const method = operation.method as 'get' | 'post' | 'patch' | 'delete';
        const test = request(app.url)[method](url).set('Authorization', `Bearer ${TEST_API_KEY}`);
        const sent = ['post', 'patch'].includes(method) ? hostileBody(operation, pick) : null;
        if (method === 'post' && pick() < 0.3) test.set('Idempotency-Key', `fuzz-${i}`);
        const res = await (sent === null ? test : test.set('Content-Type', 'application/json').send(sent));
        const label = `${method.toUpperCase()} ${url.slice(0, 120)} ${sent?.slice(0, 120) ?? ''} -> ${res.status} ${res.text.slice(0, 200)}`;
        if (res.status >= 500 && !(operation.path === '/health/ready' && res.status === 503)) problems.push(label);
        if (!res.headers['x-request-id']) problems.push(`no X-Request-Id: ${label}`);
        if (res.status >= 400) {
          const error = res.body?.error;
          const shaped = error && typeof error.type === 'string' && typeof error.code === 'string' && typeof error.message === 'string';
          if (!shaped) problems.push(`not in the error shape: ${label}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
