import { createPrivateKey, createPublicKey } from 'node:crypto';
import { isAbsolute, join } from 'node:path';

/**
 * The one place that reads the environment. Every value is parsed and checked here at boot;
 * a wrong or missing value stops the process with one line naming the variable.
 */
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SpayonConfig {
  baseUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
  callbackSecret: string | null;
}

export interface SmartGlocalConfig {
  baseUrl: string | null;
  project: string | null;
  privateKeyPem: string | null;
  publicKeyPem: string | null;
  allowCardData: boolean;
  /** The account confirms by itself (set by Smart Glocal's manager): paymux never calls session/confirm. */
  autoConfirmation: boolean;
}

export interface KomojuConfig {
  baseUrl: string | null;
  secretKey: string | null;
  webhookSecret: string | null;
}

export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string;
  nodeEnv: NodeEnv;
  production: boolean;
  databaseUrl: string | null;
  dataDir: string;
  sqlitePath: string;
  migrateOnStart: boolean;
  bootstrapApiKey: string | null;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /** Trust X-Forwarded-* from a reverse proxy (client IPs for rate limits and logs). */
  trustProxy: boolean;
  providerTimeoutMs: number;
  providersOrder: string[];
  /** Serve the simulators in-process (when a provider has no credentials, outside production). */
  simulatorsEnabled: boolean;
  /** Mount the no-op baseline routes that `npm run bench` measures against. */
  benchRoutes: boolean;
  spayon: SpayonConfig;
  smartGlocal: SmartGlocalConfig;
  komoju: KomojuConfig;
  notifications: {
    /** Signs deliveries to a session's own callback_url (webhook endpoints use their own secret). */
    signingSecret: string | null;
    /** Whole-request bound for one delivery: connect, send, status line and the answer's first 1 kB. */
    timeoutMs: number;
  };
  admin: {
    enabled: boolean;
    email: string | null;
    password: string | null;
    sessionSecret: string | null;
  };
  jobs: {
    enabled: boolean;
    instanceId: string;
    expiryGraceSeconds: number;
    expiryMaxWaitSeconds: number;
    reconcileAfterSeconds: number;
    /** Ask the provider before expiring a session (EXPIRY_CHECK_PROVIDER); off: expire on time alone. */
    expiryCheckProvider: boolean;
    /** Sessions one reconcile run syncs at most. */
    reconcileBatchSize: number;
    /** Provider calls a job makes at once, per provider. */
    providerConcurrency: number;
    intervals: Record<string, number>;
    disabled: string[];
    /** Job runs older than this are deleted by prune-job-runs (JOB_RUNS_RETENTION_DAYS). */
    runRetentionDays: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const KNOWN_PROVIDERS = ['spayon', 'smart_glocal', 'komoju'];
const JOB_NAMES = ['expire-sessions', 'reconcile-sessions', 'purge-idempotency-keys', 'deliver-notifications', 'prune-job-runs', 'purge-admin-sessions'];
const DEFAULT_JOB_INTERVALS: Record<string, number> = {
  'expire-sessions': 30,
  'reconcile-sessions': 60,
  'purge-idempotency-keys': 3600,
  'deliver-notifications': 5,
  'prune-job-runs': 3600,
  'purge-admin-sessions': 3600,
};

/** Not a secret: the callback_url signing key of development and test runs only. */
export const DEVELOPMENT_CALLBACK_SIGNING_SECRET = 'whsec_development_only_not_for_production';

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') as NodeEnv;
  const production = nodeEnv === 'production';
  const port = read.integer('PORT', 3000, 0, 65535);
  const publicUrl = read.url('PUBLIC_URL', `http://localhost:${port}`).replace(/\/+$/, '');
  const databaseUrl = read.optional('DATABASE_URL');
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL (leave it unset for SQLite)');
  }
  const dataDirRaw = read.string('DATA_DIR', './data');
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : join(cwd, dataDirRaw);
  const providersOrder = read.list('PROVIDERS_ORDER', KNOWN_PROVIDERS);
  for (const name of providersOrder) {
    if (!KNOWN_PROVIDERS.includes(name)) {
      throw new ConfigError('PROVIDERS_ORDER', `names unknown provider "${name}" (known: ${KNOWN_PROVIDERS.join(', ')})`);
    }
  }
  const bootstrapApiKey = read.optional('BOOTSTRAP_API_KEY');
  if (bootstrapApiKey !== null && bootstrapApiKey.length < 24) {
    throw new ConfigError('BOOTSTRAP_API_KEY', 'must be at least 24 characters');
  }

  const spayon: SpayonConfig = {
    baseUrl: read.optionalUrl('SPAYON_BASE_URL'),
    clientId: read.optional('SPAYON_CLIENT_ID'),
    clientSecret: read.optional('SPAYON_CLIENT_SECRET'),
    callbackSecret: read.optional('SPAYON_CALLBACK_SECRET'),
  };
  const smartGlocal: SmartGlocalConfig = {
    baseUrl: read.optionalUrl('SMART_GLOCAL_BASE_URL'),
    project: read.optional('SMART_GLOCAL_PROJECT'),
    privateKeyPem: read.optionalPem('SMART_GLOCAL_PRIVATE_KEY'),
    publicKeyPem: read.optionalPem('SMART_GLOCAL_PUBLIC_KEY'),
    allowCardData: read.boolean('SMART_GLOCAL_ALLOW_CARD_DATA', false),
    autoConfirmation: read.boolean('SMART_GLOCAL_AUTO_CONFIRMATION', false),
  };
  const komoju: KomojuConfig = {
    baseUrl: read.optionalUrl('KOMOJU_BASE_URL'),
    secretKey: read.optional('KOMOJU_SECRET_KEY'),
    webhookSecret: read.optional('KOMOJU_WEBHOOK_SECRET'),
  };
  requireAllOrNone('SPAYON', { SPAYON_CLIENT_ID: spayon.clientId, SPAYON_CLIENT_SECRET: spayon.clientSecret, SPAYON_CALLBACK_SECRET: spayon.callbackSecret });
  checkKey('SMART_GLOCAL_PRIVATE_KEY', smartGlocal.privateKeyPem, 'private');
  checkKey('SMART_GLOCAL_PUBLIC_KEY', smartGlocal.publicKeyPem, 'public');
  requireAllOrNone('SMART_GLOCAL', { SMART_GLOCAL_PROJECT: smartGlocal.project, SMART_GLOCAL_PRIVATE_KEY: smartGlocal.privateKeyPem, SMART_GLOCAL_PUBLIC_KEY: smartGlocal.publicKeyPem });
  requireAllOrNone('KOMOJU', { KOMOJU_SECRET_KEY: komoju.secretKey, KOMOJU_WEBHOOK_SECRET: komoju.webhookSecret });

  const admin = {
    enabled: read.boolean('ADMIN_ENABLED', true),
    email: read.optional('ADMIN_EMAIL'),
    password: read.optional('ADMIN_PASSWORD'),
    sessionSecret: read.optional('ADMIN_SESSION_SECRET'),
  };
  if (production && admin.enabled && (admin.sessionSecret === null || admin.sessionSecret.length < 32)) {
    throw new ConfigError('ADMIN_SESSION_SECRET', 'is required in production and must be at least 32 characters');
  }
  if (admin.email !== null && !/^[^\s@]+@[^\s@]+$/.test(admin.email)) {
    throw new ConfigError('ADMIN_EMAIL', `must be an e-mail address, got "${admin.email}"`);
  }
  if (admin.password !== null && admin.password.length < 12) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  // Outside production a fixed, published secret keeps callback_url deliveries working with zero
  // setup; in production an unset secret holds callback_url deliveries (retried) until it is set.
  const notifications = {
    signingSecret: read.optional('NOTIFICATIONS_SIGNING_SECRET') ?? (production ? null : DEVELOPMENT_CALLBACK_SIGNING_SECRET),
    timeoutMs: read.integer('NOTIFICATIONS_TIMEOUT_MS', 10000, 100, 60000),
  };
  if (notifications.signingSecret !== null && notifications.signingSecret.length < 32) {
    throw new ConfigError('NOTIFICATIONS_SIGNING_SECRET', 'must be at least 32 characters');
  }

  const intervals: Record<string, number> = {};
  for (const job of JOB_NAMES) {
    const variable = `JOB_${job.toUpperCase().replace(/-/g, '_')}_INTERVAL_SECONDS`;
    intervals[job] = read.integer(variable, DEFAULT_JOB_INTERVALS[job], 1, 86400);
  }
  const disabled = read.list('JOBS_DISABLED', []);
  for (const job of disabled) {
    if (!JOB_NAMES.includes(job)) throw new ConfigError('JOBS_DISABLED', `names unknown job "${job}" (known: ${JOB_NAMES.join(', ')})`);
  }

  return {
    port,
    host: read.string('HOST', '0.0.0.0'),
    publicUrl,
    nodeEnv,
    production,
    databaseUrl,
    dataDir,
    sqlitePath: join(dataDir, 'paymux.sqlite'),
    migrateOnStart: read.boolean('MIGRATE_ON_START', true),
    bootstrapApiKey,
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info') as LogLevel,
    trustProxy: read.boolean('TRUST_PROXY', false),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024),
    providerTimeoutMs: read.integer('PROVIDER_TIMEOUT_MS', 10000, 100, 120000),
    providersOrder,
    simulatorsEnabled: !production && read.boolean('SIMULATORS_ENABLED', true),
    benchRoutes: read.boolean('BENCH_ROUTES', false),
    spayon,
    smartGlocal,
    komoju,
    notifications,
    admin,
    jobs: {
      enabled: read.boolean('JOBS_ENABLED', true),
      instanceId: read.string('INSTANCE_ID', `${process.pid}`),
      expiryGraceSeconds: read.integer('EXPIRY_GRACE_SECONDS', 60, 0, 86400),
      expiryMaxWaitSeconds: read.integer('EXPIRY_MAX_WAIT_SECONDS', 3600, 0, 7 * 86400),
      reconcileAfterSeconds: read.integer('RECONCILE_AFTER_SECONDS', 300, 1, 86400),
      expiryCheckProvider: read.boolean('EXPIRY_CHECK_PROVIDER', true),
      reconcileBatchSize: read.integer('RECONCILE_BATCH_SIZE', 100, 1, 10000),
      providerConcurrency: read.integer('JOBS_PROVIDER_CONCURRENCY', 4, 1, 100),
      intervals,
      disabled,
      runRetentionDays: read.integer('JOB_RUNS_RETENTION_DAYS', 14, 1, 3650),
    },
  };
}

/** A key that does not load stops the process at boot, naming the variable (never showing the key). */
function checkKey(variable: string, pem: string | null, kind: 'private' | 'public'): void {
  if (pem === null) return;
  try {
    const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new ConfigError(variable, `is not a valid RSA ${kind} key in PEM format`);
  }
}

function requireAllOrNone(prefix: string, values: Record<string, string | null>): void {
  const set = Object.entries(values).filter(([, v]) => v !== null);
  if (set.length === 0 || set.length === Object.keys(values).length) return;
  const missing = Object.entries(values).find(([, v]) => v === null)![0];
  throw new ConfigError(missing, `is required when other ${prefix}_* credentials are set`);
}

class EnvReader {
  constructor(private readonly env: Env) {}

  optional(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
    throw new ConfigError(name, `must be true or false, got "${raw}"`);
  }

  oneOf(name: string, allowed: string[], fallback: string): string {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    if (!allowed.includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw;
  }

  url(name: string, fallback: string): string {
    return this.optionalUrl(name) ?? fallback;
  }

  optionalUrl(name: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
    }
    return raw.replace(/\/+$/, '');
  }

  /** PEM values may come with literal "\n" sequences from one-line env files. */
  optionalPem(name: string): string | null {
    const raw = this.optional(name);
    if (raw === null) return null;
    const pem = raw.replace(/\\n/g, '\n');
    if (!/-----BEGIN [A-Z ]+-----/.test(pem)) throw new ConfigError(name, 'must be a PEM-encoded key');
    return pem;
  }

  list(name: string, fallback: string[]): string[] {
    const raw = this.optional(name);
    if (raw === null) return fallback;
    return raw.split(',').map((item) => item.trim()).filter(Boolean);
  }
}
