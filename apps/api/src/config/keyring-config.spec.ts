import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './keyring-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/keyring');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');

describe('loadConfig', () => {
  it('has defaults that start a local install', () => {
    expect(loadConfig({}, '/srv/keyring')).toEqual({
      nodeEnv: 'development',
      port: 3000,
      listenAddress: undefined,
      databaseUrl: undefined,
      dataDir: '/srv/keyring/.data',
      localKeyDir: join(homedir(), '.config', 'keyring'),
      embeddedPostgresPort: 54329,
      consoleDir: '/srv/keyring/dist/apps/admin/browser',
      logLevel: 'info',
      setupToken: undefined,
      usageFlushSeconds: 10,
      usageRollupSeconds: 60,
      usageMinuteRetentionHours: 48,
      usageHourRetentionDays: 35,
      usageDayRetentionDays: 400,
      tenantCacheEntries: 50000,
      rateLimitPerMinute: 60_000,
      shutdownGraceSeconds: 0,
      metricsPort: 9464,
      metricsHost: '127.0.0.1',
      auditCheckpointEvents: 1000,
      auditCheckpointMinutes: 60,
      webhookAllowedHosts: [],
      webhookRetryBaseMs: 10_000,
      webhookRetryHours: 24,
      webhookPollMs: 30_000,
      webhookConcurrency: 8,
      webhookBusyRate: 20,
      webhookRetentionDays: 30,
      reminderSeconds: 3_600,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        KEYRING_LISTEN_ADDRESS: '127.0.0.1',
        DATABASE_URL: 'postgres://keyring:pw@db:5432/keyring',
        DATABASE_MIGRATION_URL: 'postgres://keyring_owner:pw2@db:5432/keyring',
        KEYRING_DATA_DIR: '/var/lib/keyring',
        KEYRING_LOCAL_KEY_DIR: '/etc/keyring-keys',
        KEYRING_EMBEDDED_PG_PORT: '6000',
        KEYRING_CONSOLE_DIR: 'console',
        LOG_LEVEL: 'warn',
        KEYRING_SETUP_TOKEN: 'a-setup-token-of-24-chars',
        KEYRING_MASTER_KEYS: `old:${KEY_A},new:${KEY_B}`,
        KEYRING_ACTIVE_MASTER_KEY: 'new',
        KEYRING_USAGE_FLUSH_SECONDS: '5',
        KEYRING_USAGE_ROLLUP_SECONDS: '30',
        KEYRING_USAGE_MINUTE_RETENTION_HOURS: '72',
        KEYRING_USAGE_HOUR_RETENTION_DAYS: '90',
        KEYRING_USAGE_DAY_RETENTION_DAYS: '730',
        KEYRING_TENANT_CACHE_ENTRIES: '1000',
        KEYRING_RATE_LIMIT_PER_MINUTE: '600',
        REDIS_URL: 'rediss://:pw@cache:6380/1',
        KEYRING_SHUTDOWN_GRACE_SECONDS: '0',
        KEYRING_TRUST_PROXY: '10.0.0.0/8, loopback',
        KEYRING_METRICS_PORT: '9100',
        KEYRING_METRICS_HOST: '0.0.0.0',
        KEYRING_METRICS_TOKEN: 'a-metrics-token-of-at-least-32-chars',
        KEYRING_AUDIT_CHECKPOINT_EVENTS: '500',
        KEYRING_AUDIT_CHECKPOINT_MINUTES: '15',
        KEYRING_WEBHOOK_ALLOWED_HOSTS: 'hooks.internal, 10.0.0.7',
        KEYRING_WEBHOOK_RETRY_BASE_MS: '500',
        KEYRING_WEBHOOK_RETRY_HOURS: '48',
        KEYRING_WEBHOOK_POLL_MS: '250',
        KEYRING_WEBHOOK_CONCURRENCY: '16',
        KEYRING_WEBHOOK_BUSY_RATE: '50',
        KEYRING_WEBHOOK_RETENTION_DAYS: '7',
        KEYRING_REMINDER_SECONDS: '86400',
      },
      '/srv/keyring',
    );
    expect(config).toEqual({
      nodeEnv: 'production',
      port: 8080,
      listenAddress: '127.0.0.1',
      databaseUrl: 'postgres://keyring:pw@db:5432/keyring',
      databaseMigrationUrl: 'postgres://keyring_owner:pw2@db:5432/keyring',
      dataDir: '/var/lib/keyring',
      localKeyDir: '/etc/keyring-keys',
      embeddedPostgresPort: 6000,
      consoleDir: '/srv/keyring/console',
      logLevel: 'warn',
      setupToken: 'a-setup-token-of-24-chars',
      usageFlushSeconds: 5,
      usageRollupSeconds: 30,
      usageMinuteRetentionHours: 72,
      usageHourRetentionDays: 90,
      usageDayRetentionDays: 730,
      tenantCacheEntries: 1000,
      rateLimitPerMinute: 600,
      redisUrl: 'rediss://:pw@cache:6380/1',
      shutdownGraceSeconds: 0,
      trustProxy: ['10.0.0.0/8', 'loopback'],
      metricsPort: 9100,
      metricsHost: '0.0.0.0',
      metricsToken: 'a-metrics-token-of-at-least-32-chars',
      auditCheckpointEvents: 500,
      auditCheckpointMinutes: 15,
      webhookAllowedHosts: ['hooks.internal', '10.0.0.7'],
      webhookRetryBaseMs: 500,
      webhookRetryHours: 48,
      webhookPollMs: 250,
      webhookConcurrency: 16,
      webhookBusyRate: 50,
      webhookRetentionDays: 7,
      reminderSeconds: 86_400,
      masterKeys: {
        active: { id: 'new', key: new Uint8Array(Buffer.from(KEY_B, 'base64')) },
        byId: new Map([
          ['old', { id: 'old', key: new Uint8Array(Buffer.from(KEY_A, 'base64')) }],
          ['new', { id: 'new', key: new Uint8Array(Buffer.from(KEY_B, 'base64')) }],
        ]),
      },
    });
  });

  it('names every bad variable at once', () => {
    expect(problemsOf({ PORT: 'eighty', NODE_ENV: 'prod', LOG_LEVEL: 'loud' })).toEqual([
      'NODE_ENV must be one of development, production, test (got "prod")',
      'PORT must be a TCP port between 0 and 65535 (got "eighty")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
    expect(problemsOf({ KEYRING_RATE_LIMIT_PER_MINUTE: '0' })).toEqual(['KEYRING_RATE_LIMIT_PER_MINUTE must be a whole number above 0 (got "0")']);
    expect(problemsOf({ KEYRING_USAGE_MINUTE_RETENTION_HOURS: '24' })).toEqual([
      'KEYRING_USAGE_MINUTE_RETENTION_HOURS must be a whole number of at least 26 (got "24")',
    ]);
    expect(problemsOf({ KEYRING_WEBHOOK_ALLOWED_HOSTS: 'hooks.internal, http://x/' })).toEqual([
      'KEYRING_WEBHOOK_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses (got "http://x/")',
    ]);
    expect(problemsOf({ KEYRING_EMBEDDED_PG_PORT: '70000' })).toEqual([
      'KEYRING_EMBEDDED_PG_PORT must be a TCP port between 0 and 65535 (got "70000")',
    ]);
    expect(problemsOf({ KEYRING_LISTEN_ADDRESS: 'localhost' })).toEqual([
      'KEYRING_LISTEN_ADDRESS must be an IPv4 or IPv6 address, such as 127.0.0.1 or :: (got "localhost")',
    ]);
    expect(loadConfig({ KEYRING_LISTEN_ADDRESS: '::1' }).listenAddress).toBe('::1');
  });

  it('keeps the local master key under the user configuration folder ($XDG_CONFIG_HOME, else ~/.config)', () => {
    expect(loadConfig({ XDG_CONFIG_HOME: '/home/ann/.cfg' }).localKeyDir).toBe('/home/ann/.cfg/keyring');
    expect(loadConfig({ HOME: '/home/ann' }).localKeyDir).toBe('/home/ann/.config/keyring');
  });

  it('refuses a short setup or metrics token without echoing it', () => {
    expect(problemsOf({ KEYRING_SETUP_TOKEN: 'short-secret', KEYRING_METRICS_TOKEN: 'short-metrics-secret' })).toEqual([
      'KEYRING_SETUP_TOKEN must have at least 16 characters',
      'KEYRING_METRICS_TOKEN must have at least 32 characters',
    ]);
    expect(problemsOf({ KEYRING_METRICS_HOST: 'my host/x' })).toEqual(['KEYRING_METRICS_HOST must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0 (got "my host/x")']);
  });

  it('refuses to run in production without master keys, except for a migration job', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'KEYRING_MASTER_KEYS is required when NODE_ENV=production (id:base64-of-32-bytes, comma-separated)',
    ]);
    expect(loadConfig({ NODE_ENV: 'production' }, '/srv/keyring', { masterKeysRequired: false }).masterKeys).toBeUndefined();
  });

  it('names what is wrong with the master keys, never their value', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(problemsOf({ KEYRING_MASTER_KEYS: `k1:${short}` })).toEqual([
      'KEYRING_MASTER_KEYS key "k1" must be 32 bytes in base64 (generate one with: openssl rand -base64 32)',
    ]);
    expect(problemsOf({ KEYRING_MASTER_KEYS: `${KEY_A}` })).toEqual([
      'KEYRING_MASTER_KEYS entry 1 must look like id:base64 with an id of letters, digits, . _ or -',
    ]);
    expect(problemsOf({ KEYRING_MASTER_KEYS: `a:${KEY_A},b:${KEY_B}` })).toEqual([
      'KEYRING_ACTIVE_MASTER_KEY must name the active key when KEYRING_MASTER_KEYS holds several',
    ]);
    expect(problemsOf({ KEYRING_MASTER_KEYS: `a:${KEY_A}`, KEYRING_ACTIVE_MASTER_KEY: 'z' })).toEqual([
      'KEYRING_ACTIVE_MASTER_KEY names "z", which is not in KEYRING_MASTER_KEYS',
    ]);
    const all = problemsOf({ KEYRING_MASTER_KEYS: `k1:${short}` }).join(' ');
    expect(all).not.toContain(short);
  });

  it('rejects a database URL without echoing it, since it may hold a password', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'not a url with hunter2' });
    expect(problem).toContain('DATABASE_URL is not a valid URL');
    expect(problem).not.toContain('hunter2');
    expect(problemsOf({ DATABASE_URL: 'mysql://u:hunter2@h/db' })).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql:// (got "mysql://")',
    ]);
    expect(problemsOf({ DATABASE_MIGRATION_URL: 'postgres://owner:hunter2@db/keyring' })).toEqual([
      "DATABASE_MIGRATION_URL needs DATABASE_URL (the app's own role on the same database)",
    ]);
    expect(problemsOf({ REDIS_URL: 'http://:hunter2@cache:6379' })).toEqual(['REDIS_URL must start with redis:// or rediss:// (got "http://")']);
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/0' }).redisUrl).toBe('redis://cache:6379/0');
    expect(loadConfig({ KEYRING_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(problemsOf({ KEYRING_TRUST_PROXY: 'yes please' })).toEqual([
      'KEYRING_TRUST_PROXY must be a number of proxies or a comma-separated list of addresses/CIDRs (got "yes please")',
    ]);
  });
});
