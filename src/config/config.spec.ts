import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, DEVELOPMENT_CALLBACK_SIGNING_SECRET, loadConfig } from './config';

const CWD = '/srv/paymux';
const KEYS = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
/** As one-line env files carry PEM values: literal backslash-n between the lines. */
const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
const PRIVATE_PEM = KEYS.privateKey.trim();
const PUBLIC_PEM = KEYS.publicKey.trim();

const SPAYON = { SPAYON_CLIENT_ID: 'client', SPAYON_CLIENT_SECRET: 'secret', SPAYON_CALLBACK_SECRET: 'callback' };
const SMART_GLOCAL = { SMART_GLOCAL_PROJECT: '42', SMART_GLOCAL_PRIVATE_KEY: oneLine(PRIVATE_PEM), SMART_GLOCAL_PUBLIC_KEY: oneLine(PUBLIC_PEM) };
const KOMOJU = { KOMOJU_SECRET_KEY: 'sk_test', KOMOJU_WEBHOOK_SECRET: 'whsec' };

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, CWD);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('gives every variable its documented default', () => {
    expect(loadConfig({}, CWD)).toEqual({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      nodeEnv: 'development',
      production: false,
      databaseUrl: null,
      dataDir: join(CWD, 'data'),
      sqlitePath: join(CWD, 'data', 'paymux.sqlite'),
      trustProxy: false,
      migrateOnStart: true,
      bootstrapApiKey: null,
      logLevel: 'info',
      bodyLimitBytes: 102400,
      providerTimeoutMs: 10000,
      captureWarningSeconds: 86400,
      providersOrder: ['spayon', 'smart_glocal', 'komoju'],
      routingRules: [],
      breaker: { failureThreshold: 5, errorRatePercent: 50, minRequests: 20, windowSeconds: 60, cooldownSeconds: 30 },
      simulatorsEnabled: true,
      benchRoutes: false,
      providerSettings: {
        spayon: { baseUrl: null, clientId: null, clientSecret: null, callbackSecret: null },
        smart_glocal: { baseUrl: null, project: null, privateKeyPem: null, publicKeyPem: null, allowCardData: false, autoConfirmation: false, delayedCapture: false },
        komoju: { baseUrl: null, secretKey: null, webhookSecret: null },
      },
      notifications: { signingSecret: DEVELOPMENT_CALLBACK_SIGNING_SECRET, timeoutMs: 10000 },
      admin: { enabled: true, email: null, password: null, sessionSecret: null },
      jobs: {
        enabled: true,
        instanceId: String(process.pid),
        expiryGraceSeconds: 60,
        expiryMaxWaitSeconds: 3600,
        reconcileAfterSeconds: 300,
        expiryCheckProvider: true,
        reconcileBatchSize: 100,
        providerConcurrency: 4,
        intervals: {
          'expire-sessions': 30, 'reconcile-sessions': 60, 'reconcile-refunds': 60, 'purge-idempotency-keys': 3600, 'deliver-notifications': 5,
          'prune-job-runs': 3600, 'purge-admin-sessions': 3600,
        },
        disabled: [],
        runRetentionDays: 14,
      },
    });
  });

  it('derives PUBLIC_URL from PORT and drops trailing slashes from URLs', () => {
    expect(loadConfig({ PORT: '8080' }, CWD).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://pay.example.com//' }, CWD).publicUrl).toBe('https://pay.example.com');
    expect(loadConfig({ SPAYON_BASE_URL: 'https://api.spayon.io/' }, CWD).providerSettings.spayon).toMatchObject({ baseUrl: 'https://api.spayon.io' });
  });

  it('keeps an absolute DATA_DIR and resolves a relative one against the working directory', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/paymux' }, CWD).sqlitePath).toBe('/var/lib/paymux/paymux.sqlite');
    expect(loadConfig({ DATA_DIR: 'state' }, CWD).dataDir).toBe(join(CWD, 'state'));
  });

  it('treats empty and blank values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ', LOG_LEVEL: '' }, CWD)).toMatchObject({ port: 3000, databaseUrl: null, logLevel: 'info' });
  });

  it('accepts postgres:// and postgresql:// database URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/paymux' }, CWD).databaseUrl).toBe('postgres://u@db:5432/paymux');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db/paymux' }, CWD).databaseUrl).toBe('postgresql://u@db/paymux');
  });

  it.each([
    ['true', true], ['1', true], ['yes', true], ['ON', true],
    ['false', false], ['0', false], ['no', false], ['Off', false],
  ])('reads the boolean %p as %p', (raw, expected) => {
    expect(loadConfig({ MIGRATE_ON_START: raw }, CWD).migrateOnStart).toBe(expected);
  });

  it('turns literal \\n sequences of one-line PEM values into newlines', () => {
    const config = loadConfig(SMART_GLOCAL, CWD);
    expect(config.providerSettings.smart_glocal).toMatchObject({ privateKeyPem: PRIVATE_PEM, publicKeyPem: PUBLIC_PEM });
    expect(loadConfig({ ...SMART_GLOCAL, SMART_GLOCAL_PUBLIC_KEY: PUBLIC_PEM }, CWD).providerSettings.smart_glocal).toMatchObject({ publicKeyPem: PUBLIC_PEM });
  });

  it('reads lists separated by commas, ignoring blanks', () => {
    expect(loadConfig({ PROVIDERS_ORDER: ' komoju, spayon ,' }, CWD).providersOrder).toEqual(['komoju', 'spayon']);
    expect(loadConfig({ JOBS_DISABLED: 'expire-sessions,deliver-notifications' }, CWD).jobs.disabled).toEqual(['expire-sessions', 'deliver-notifications']);
  });

  it('never serves simulators in production', () => {
    const production = { NODE_ENV: 'production', ADMIN_SESSION_SECRET: 'x'.repeat(32), SIMULATORS_ENABLED: 'true' };
    expect(loadConfig(production, CWD)).toMatchObject({ production: true, simulatorsEnabled: false });
  });

  it('signs callback_url deliveries with a published key outside production only', () => {
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_ENABLED: 'false' }, CWD).notifications.signingSecret).toBeNull();
    const secret = 'whsec_0123456789abcdefghijklmnopqrstuvwxyz';
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_ENABLED: 'false', NOTIFICATIONS_SIGNING_SECRET: secret }, CWD).notifications.signingSecret).toBe(secret);
  });

  it('needs no admin session secret in production when the admin panel is off', () => {
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_ENABLED: 'false' }, CWD).production).toBe(true);
  });

  it.each([
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '3000.5' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '70000' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'localhost:3000' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://example.com' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/paymux' }],
    ['DATABASE_URL', { DATABASE_URL: '/var/lib/paymux.sqlite' }],
    ['PROVIDERS_ORDER', { PROVIDERS_ORDER: 'spayon,stripe' }],
    ['BOOTSTRAP_API_KEY', { BOOTSTRAP_API_KEY: 'short' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['MIGRATE_ON_START', { MIGRATE_ON_START: 'maybe' }],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '100kb' }],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '10' }],
    ['PROVIDER_TIMEOUT_MS', { PROVIDER_TIMEOUT_MS: '10' }],
    ['SIMULATORS_ENABLED', { SIMULATORS_ENABLED: 'sometimes' }],
    ['BENCH_ROUTES', { BENCH_ROUTES: '2' }],
    ['SPAYON_BASE_URL', { SPAYON_BASE_URL: 'not a url' }],
    ['SMART_GLOCAL_BASE_URL', { SMART_GLOCAL_BASE_URL: 'mailto:x@example.com' }],
    ['SMART_GLOCAL_PRIVATE_KEY', { ...SMART_GLOCAL, SMART_GLOCAL_PRIVATE_KEY: 'not a pem' }],
    ['SMART_GLOCAL_PUBLIC_KEY', { ...SMART_GLOCAL, SMART_GLOCAL_PUBLIC_KEY: 'MFkwEwYHKoZIzj0CAQYI' }],
    ['SMART_GLOCAL_PRIVATE_KEY', { ...SMART_GLOCAL, SMART_GLOCAL_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----' }],
    ['SMART_GLOCAL_PUBLIC_KEY', { ...SMART_GLOCAL, SMART_GLOCAL_PUBLIC_KEY: oneLine(PRIVATE_PEM).replace(/PRIVATE/g, 'PUBLIC') }],
    ['SMART_GLOCAL_ALLOW_CARD_DATA', { SMART_GLOCAL_ALLOW_CARD_DATA: 'y' }],
    ['KOMOJU_BASE_URL', { KOMOJU_BASE_URL: 'komoju.com' }],
    ['NOTIFICATIONS_SIGNING_SECRET', { NOTIFICATIONS_SIGNING_SECRET: 'whsec_short' }],
    ['NOTIFICATIONS_TIMEOUT_MS', { NOTIFICATIONS_TIMEOUT_MS: '50' }],
    ['ADMIN_ENABLED', { ADMIN_ENABLED: 'enabled' }],
    ['ADMIN_EMAIL', { ADMIN_EMAIL: 'admin' }],
    ['ADMIN_PASSWORD', { ADMIN_PASSWORD: 'short' }],
    ['ADMIN_SESSION_SECRET', { NODE_ENV: 'production' }],
    ['ADMIN_SESSION_SECRET', { NODE_ENV: 'production', ADMIN_SESSION_SECRET: 'too-short' }],
    ['JOBS_ENABLED', { JOBS_ENABLED: 'nope' }],
    ['JOBS_DISABLED', { JOBS_DISABLED: 'expire-sessions,send-emails' }],
    ['JOB_EXPIRE_SESSIONS_INTERVAL_SECONDS', { JOB_EXPIRE_SESSIONS_INTERVAL_SECONDS: '0' }],
    ['JOB_RECONCILE_SESSIONS_INTERVAL_SECONDS', { JOB_RECONCILE_SESSIONS_INTERVAL_SECONDS: '1m' }],
    ['JOB_PURGE_IDEMPOTENCY_KEYS_INTERVAL_SECONDS', { JOB_PURGE_IDEMPOTENCY_KEYS_INTERVAL_SECONDS: '86401' }],
    ['JOB_DELIVER_NOTIFICATIONS_INTERVAL_SECONDS', { JOB_DELIVER_NOTIFICATIONS_INTERVAL_SECONDS: 'fast' }],
    ['EXPIRY_GRACE_SECONDS', { EXPIRY_GRACE_SECONDS: '-5' }],
    ['EXPIRY_MAX_WAIT_SECONDS', { EXPIRY_MAX_WAIT_SECONDS: '999999999' }],
    ['RECONCILE_AFTER_SECONDS', { RECONCILE_AFTER_SECONDS: '0' }],
    ['EXPIRY_CHECK_PROVIDER', { EXPIRY_CHECK_PROVIDER: 'sometimes' }],
    ['RECONCILE_BATCH_SIZE', { RECONCILE_BATCH_SIZE: '0' }],
    ['JOBS_PROVIDER_CONCURRENCY', { JOBS_PROVIDER_CONCURRENCY: '101' }],
  ])('rejects a bad %s, naming it', (variable, env) => {
    const error = configErrorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable} \\S`));
  });

  describe('provider credentials: all or none', () => {
    it.each([
      ['Spayon', SPAYON, 'spayon'],
      ['Smart Glocal', SMART_GLOCAL, 'smart_glocal'],
      ['KOMOJU', KOMOJU, 'komoju'],
    ] as const)('accepts all of the %s credentials together', (_, credentials, key) => {
      const values = Object.entries(loadConfig(credentials, CWD).providerSettings[key] as Record<string, unknown>).filter(([, value]) => value === null);
      expect(values).toEqual([['baseUrl', null]]);
    });

    const partial: Array<[string, Record<string, string>]> = [];
    for (const credentials of [SPAYON, SMART_GLOCAL, KOMOJU]) {
      for (const missing of Object.keys(credentials)) {
        const rest: Record<string, string> = { ...credentials };
        delete rest[missing];
        partial.push([missing, rest]);
      }
    }
    it.each(partial)('names %s when the other credentials of its provider are set', (missing, env) => {
      const error = configErrorOf(env);
      expect(error.variable).toBe(missing);
      expect(error.message).toMatch(/is required when other \w+_\* credentials are set/);
    });
  });
});
