import { isAbsolute, join } from 'node:path';
import { PROVIDER_DEFINITIONS, PROVIDER_NAMES } from '../providers/provider-list';
import { parseRoutingRules, RoutingRule } from '../routing/routing-rules';
import { ConfigError, Env, EnvReader } from './env-reader';

export { ConfigError } from './env-reader';

/**
 * The one place that reads the environment. Every value is parsed and checked here at boot;
 * a wrong or missing value stops the process with one line naming the variable.
 */
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface BreakerConfig {
  /** Consecutive retryable failures that open the breaker. */
  failureThreshold: number;
  /** Share of failed calls in the window (percent) that opens it, once the window has minRequests calls. */
  errorRatePercent: number;
  minRequests: number;
  windowSeconds: number;
  /** How long an open breaker skips the provider before one probe may try it (half-open). */
  cooldownSeconds: number;
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
  /** A hold (manual capture) whose capture_before is this close counts as due in /health/ready and /metrics. */
  captureWarningSeconds: number;
  providersOrder: string[];
  /** ROUTING_RULES: evaluated in order before PROVIDERS_ORDER (see src/routing/routing-rules.ts). */
  routingRules: RoutingRule[];
  /** The per-provider circuit breaker (BREAKER_*), shared by every instance through the database. */
  breaker: BreakerConfig;
  /** Serve the simulators in-process (when a provider has no credentials, outside production). */
  simulatorsEnabled: boolean;
  /** Mount the no-op baseline routes that `npm run bench` measures against. */
  benchRoutes: boolean;
  /** Each provider's own settings, by provider name, as its definition read them (`settingsOf`). */
  providerSettings: Readonly<Record<string, unknown>>;
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

const JOB_NAMES = ['expire-sessions', 'reconcile-sessions', 'reconcile-refunds', 'purge-idempotency-keys', 'deliver-notifications', 'prune-job-runs', 'purge-admin-sessions'];
const DEFAULT_JOB_INTERVALS: Record<string, number> = {
  'expire-sessions': 30,
  'reconcile-sessions': 60,
  'reconcile-refunds': 60,
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
  const providersOrder = read.list('PROVIDERS_ORDER', [...PROVIDER_NAMES]);
  for (const name of providersOrder) {
    if (!PROVIDER_NAMES.includes(name)) {
      throw new ConfigError('PROVIDERS_ORDER', `names unknown provider "${name}" (known: ${PROVIDER_NAMES.join(', ')})`);
    }
  }
  const bootstrapApiKey = read.optional('BOOTSTRAP_API_KEY');
  if (bootstrapApiKey !== null && bootstrapApiKey.length < 24) {
    throw new ConfigError('BOOTSTRAP_API_KEY', 'must be at least 24 characters');
  }

  const providerSettings = Object.fromEntries(PROVIDER_DEFINITIONS.map((definition) => [definition.name, definition.readSettings(read)]));

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
    captureWarningSeconds: read.integer('CAPTURE_WARNING_SECONDS', 86400, 60, 30 * 86400),
    providersOrder,
    routingRules: parseRoutingRules(read.optional('ROUTING_RULES'), PROVIDER_NAMES),
    breaker: {
      failureThreshold: read.integer('BREAKER_FAILURE_THRESHOLD', 5, 1, 1000),
      errorRatePercent: read.integer('BREAKER_ERROR_RATE_PERCENT', 50, 1, 100),
      minRequests: read.integer('BREAKER_MIN_REQUESTS', 20, 1, 100000),
      windowSeconds: read.integer('BREAKER_WINDOW_SECONDS', 60, 1, 86400),
      cooldownSeconds: read.integer('BREAKER_COOLDOWN_SECONDS', 30, 1, 86400),
    },
    simulatorsEnabled: !production && read.boolean('SIMULATORS_ENABLED', true),
    benchRoutes: read.boolean('BENCH_ROUTES', false),
    providerSettings,
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


