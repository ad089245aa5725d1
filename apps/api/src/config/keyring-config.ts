import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseMasterKeys, type MasterKeys } from '../crypto/master-keys';

/** Injection token of the {@link KeyringConfig} of this process. */
export const KEYRING_CONFIG = Symbol('KeyringConfig');

/** Keyring's configuration, read once from the environment at start-up. */
export interface KeyringConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** The address the HTTP server listens on (e.g. 127.0.0.1 behind a proxy on the same machine); all when absent. */
  listenAddress?: string;
  /** Where to find PostgreSQL, as the app's own role; when absent, `npm start` runs an embedded one. */
  databaseUrl?: string;
  /**
   * The same database as the role that owns the schema, for migrations only, so that the app's role need not own
   * (and so cannot alter) the audit table. When absent, `databaseUrl`'s role applies them too.
   */
  databaseMigrationUrl?: string;
  /** Local state of a single-machine install: the embedded database and its passwords. */
  dataDir: string;
  /**
   * Where a single-machine install without KEYRING_MASTER_KEYS keeps its generated master key (`<install id>/
   * master-key`): apart from the data folder, so that one copy of that folder does not hold both data and key.
   */
  localKeyDir: string;
  embeddedPostgresPort: number;
  /** The built admin console, served at `/`. */
  consoleDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Allows first-run setup; when absent, one is generated at first start and printed once. */
  setupToken?: string;
  /** How often tenant-API usage counted in memory is written; a crash loses at most this much. */
  usageFlushSeconds: number;
  /**
   * Usage rollups (UsageRollup): how often per-minute counts are summed into hours and days, and how long each
   * level is kept. The minimums keep every span the usage chart accepts (a day of minutes, 31 days of hours,
   * 366 days) answerable, and the last hour rollable.
   */
  usageRollupSeconds: number;
  usageMinuteRetentionHours: number;
  usageHourRetentionDays: number;
  usageDayRetentionDays: number;
  /**
   * Entries each tenant-API cache (widgets' decrypted signing material, API keys) holds at most, the least
   * recently used going first: ~1 KB each.
   */
  tenantCacheEntries: number;
  /** userHashes one API key may ask for per minute (a batch counts each identifier). */
  rateLimitPerMinute: number;
  /** When set, the rate limit is shared by all instances through Redis; otherwise each instance counts alone. */
  redisUrl?: string;
  /** At SIGTERM, how long /readyz fails while requests are still served, for load balancers to notice. */
  shutdownGraceSeconds: number;
  /**
   * Which proxies in front may set X-Forwarded-For (Express' "trust proxy": a hop count, or addresses/CIDRs), so
   * that sign-in throttling and the audit log see the client's address rather than the proxy's. Off by default.
   */
  trustProxy?: number | string[];
  /** The port of /metrics, apart from the app's (0: any free port); never reachable through the public entry. */
  metricsPort: number;
  /** The address that port listens on: loopback unless Prometheus scrapes from another host. */
  metricsHost: string;
  /** When set, /metrics is also served on the app's port, to `Authorization: Bearer <this token>` only. */
  metricsToken?: string;
  /** The audit log signs a checkpoint of a chain every this many events… */
  auditCheckpointEvents: number;
  /** …and, for a chain that moved, at least this often. */
  auditCheckpointMinutes: number;
  /**
   * Webhooks (#17): hosts (lower-case names or IP addresses) a webhook may target even though they resolve to a
   * loopback, private, link-local or other internal address — which is refused otherwise in production.
   */
  webhookAllowedHosts: string[];
  /** The first retry of a failed delivery waits about this long (with jitter), each next one twice as long… */
  webhookRetryBaseMs: number;
  /** …until this many hours after the event, when the delivery is marked failed. */
  webhookRetryHours: number;
  /**
   * The longest an idle instance goes without looking at the outbox: it is woken when an event commits and when
   * its next delivery is due, so this only covers a notification missed.
   */
  webhookPollMs: number;
  /** Deliveries one instance sends at once. */
  webhookConcurrency: number;
  /** Finished deliveries stay in the delivery log this many days. */
  webhookRetentionDays: number;
  /** Deliveries one instance starts per second at most while it is busy serving requests (the API comes first). */
  webhookBusyRate: number;
  /** How often the reminders job (rotation due, API key expiring) runs; each reminder is sent once anyway. */
  reminderSeconds: number;
  /** From KEYRING_MASTER_KEYS; absent outside production means a local key in the data folder. */
  masterKeys?: MasterKeys;
}

/** Thrown with every problem found, each naming its variable, so one start-up attempt shows them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * `masterKeysRequired: false` is for `keyring migrate`, which never touches a secret: a one-shot migration job
 * (docker-compose.yml) then holds the schema owner's password but no master key.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd(), { masterKeysRequired = true } = {}): KeyringConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config: KeyringConfig = {
    nodeEnv: read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development'),
    port: read.port('PORT', 3000),
    listenAddress: read.ipAddress('KEYRING_LISTEN_ADDRESS'),
    databaseUrl: read.url('DATABASE_URL', ['postgres', 'postgresql'], 'postgres://user:password@host:5432/database'),
    databaseMigrationUrl: read.url('DATABASE_MIGRATION_URL', ['postgres', 'postgresql'], 'postgres://owner:password@host:5432/database'),
    redisUrl: read.url('REDIS_URL', ['redis', 'rediss'], 'redis://:password@host:6379/0'),
    dataDir: read.path('KEYRING_DATA_DIR', '.data', cwd),
    localKeyDir: read.path('KEYRING_LOCAL_KEY_DIR', defaultLocalKeyDir(env), cwd),
    embeddedPostgresPort: read.port('KEYRING_EMBEDDED_PG_PORT', 54329),
    consoleDir: read.path('KEYRING_CONSOLE_DIR', 'dist/apps/admin/browser', cwd),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    setupToken: read.secret('KEYRING_SETUP_TOKEN', 16),
    usageFlushSeconds: read.positiveInt('KEYRING_USAGE_FLUSH_SECONDS', 10),
    usageRollupSeconds: read.positiveInt('KEYRING_USAGE_ROLLUP_SECONDS', 60),
    usageMinuteRetentionHours: read.atLeast('KEYRING_USAGE_MINUTE_RETENTION_HOURS', 48, 26),
    usageHourRetentionDays: read.atLeast('KEYRING_USAGE_HOUR_RETENTION_DAYS', 35, 33),
    usageDayRetentionDays: read.atLeast('KEYRING_USAGE_DAY_RETENTION_DAYS', 400, 368),
    tenantCacheEntries: read.positiveInt('KEYRING_TENANT_CACHE_ENTRIES', 50_000),
    rateLimitPerMinute: read.positiveInt('KEYRING_RATE_LIMIT_PER_MINUTE', 60_000),
    shutdownGraceSeconds: read.nonNegativeInt('KEYRING_SHUTDOWN_GRACE_SECONDS', env['NODE_ENV'] === 'production' ? 5 : 0),
    trustProxy: read.trustProxy('KEYRING_TRUST_PROXY'),
    metricsPort: read.port('KEYRING_METRICS_PORT', 9464),
    metricsHost: read.host('KEYRING_METRICS_HOST', '127.0.0.1'),
    metricsToken: read.secret('KEYRING_METRICS_TOKEN', 32),
    auditCheckpointEvents: read.positiveInt('KEYRING_AUDIT_CHECKPOINT_EVENTS', 1000),
    auditCheckpointMinutes: read.positiveInt('KEYRING_AUDIT_CHECKPOINT_MINUTES', 60),
    webhookAllowedHosts: read.hostList('KEYRING_WEBHOOK_ALLOWED_HOSTS'),
    webhookRetryBaseMs: read.positiveInt('KEYRING_WEBHOOK_RETRY_BASE_MS', 10_000),
    webhookRetryHours: read.positiveInt('KEYRING_WEBHOOK_RETRY_HOURS', 24),
    webhookPollMs: read.positiveInt('KEYRING_WEBHOOK_POLL_MS', 30_000),
    webhookConcurrency: read.positiveInt('KEYRING_WEBHOOK_CONCURRENCY', 8),
    webhookBusyRate: read.positiveInt('KEYRING_WEBHOOK_BUSY_RATE', 20),
    webhookRetentionDays: read.positiveInt('KEYRING_WEBHOOK_RETENTION_DAYS', 30),
    reminderSeconds: read.positiveInt('KEYRING_REMINDER_SECONDS', 3_600),
  };
  if (config.databaseMigrationUrl && !config.databaseUrl) {
    problems.push('DATABASE_MIGRATION_URL needs DATABASE_URL (the app\'s own role on the same database)');
  }
  const masterKeys = env['KEYRING_MASTER_KEYS']?.trim();
  if (masterKeys) {
    config.masterKeys = parseMasterKeys(masterKeys, env['KEYRING_ACTIVE_MASTER_KEY']?.trim() || undefined, problems);
  } else if (config.nodeEnv === 'production' && masterKeysRequired) {
    problems.push('KEYRING_MASTER_KEYS is required when NODE_ENV=production (id:base64-of-32-bytes, comma-separated)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** `$XDG_CONFIG_HOME/keyring`, or `~/.config/keyring`: the user's configuration, which is backed up apart from data. */
function defaultLocalKeyDir(env: Env): string {
  const configHome = env['XDG_CONFIG_HOME']?.trim() || join(env['HOME']?.trim() || homedir(), '.config');
  return join(configHome, 'keyring');
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  port(name: string, fallback: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const port = Number(value);
    if (/^\d+$/.test(value) && port >= 0 && port <= 65535) return port;
    this.problems.push(`${name} must be a TCP port between 0 and 65535 (got "${value}")`);
    return fallback;
  }

  positiveInt(name: string, fallback: number): number {
    return this.wholeNumber(name, fallback, 1);
  }

  nonNegativeInt(name: string, fallback: number): number {
    return this.wholeNumber(name, fallback, 0);
  }

  atLeast(name: string, fallback: number, min: number): number {
    return this.wholeNumber(name, fallback, min);
  }

  private wholeNumber(name: string, fallback: number, min: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (/^\d+$/.test(value) && Number(value) >= min) return Number(value);
    const bound = min === 0 ? '' : min === 1 ? ' above 0' : ` of at least ${min}`;
    this.problems.push(`${name} must be a whole number${bound} (got "${value}")`);
    return fallback;
  }

  path(name: string, fallback: string, cwd: string): string {
    const value = this.raw(name) ?? fallback;
    return isAbsolute(value) ? value : resolve(cwd, value);
  }

  /** An address to listen on: an IP address or a host name. */
  host(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (/^[0-9A-Za-z.:-]+$/.test(value)) return value;
    this.problems.push(`${name} must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0 (got "${value}")`);
    return fallback;
  }

  /** A secret value: checked for length, never echoed in an error. */
  secret(name: string, minLength: number): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (value.length >= minLength) return value;
    this.problems.push(`${name} must have at least ${minLength} characters`);
    return undefined;
  }

  /** Comma-separated host names or IP addresses, lower-cased; empty when unset. */
  hostList(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const hosts = value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
    const bad = hosts.filter((host) => !/^[0-9a-z.:_-]+$/.test(host));
    if (bad.length === 0) return hosts;
    this.problems.push(`${name} must be a comma-separated list of host names or IP addresses (got "${bad.join('", "')}")`);
    return [];
  }

  ipAddress(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined || isIP(value) !== 0) return value;
    this.problems.push(`${name} must be an IPv4 or IPv6 address, such as 127.0.0.1 or :: (got "${value}")`);
    return undefined;
  }

  trustProxy(name: string): number | string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every((entry) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(entry))) return entries;
    this.problems.push(`${name} must be a number of proxies or a comma-separated list of addresses/CIDRs (got "${value}")`);
    return undefined;
  }

  /** A URL with one of `schemes`, e.g. ['postgres', 'postgresql'], shaped like `example`. */
  url(name: string, schemes: string[], example: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      // Never echo the value: it may hold a password.
      this.problems.push(`${name} is not a valid URL (expected ${example})`);
      return undefined;
    }
    if (!schemes.includes(url.protocol.slice(0, -1))) {
      this.problems.push(`${name} must start with ${schemes.map((scheme) => `${scheme}://`).join(' or ')} (got "${url.protocol}//")`);
      return undefined;
    }
    return value;
  }
}
