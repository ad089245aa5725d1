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
      databaseUrl: undefined,
      dataDir: '/srv/keyring/.data',
      embeddedPostgresPort: 54329,
      consoleDir: '/srv/keyring/dist/apps/admin/browser',
      logLevel: 'info',
      setupToken: undefined,
      usageFlushSeconds: 10,
      rateLimitPerMinute: 60_000,
      shutdownGraceSeconds: 0,
      auditCheckpointEvents: 1000,
      auditCheckpointMinutes: 60,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        DATABASE_URL: 'postgres://keyring:pw@db:5432/keyring',
        KEYRING_DATA_DIR: '/var/lib/keyring',
        KEYRING_EMBEDDED_PG_PORT: '6000',
        KEYRING_CONSOLE_DIR: 'console',
        LOG_LEVEL: 'warn',
        KEYRING_SETUP_TOKEN: 'a-setup-token-of-24-chars',
        KEYRING_MASTER_KEYS: `old:${KEY_A},new:${KEY_B}`,
        KEYRING_ACTIVE_MASTER_KEY: 'new',
        KEYRING_USAGE_FLUSH_SECONDS: '5',
        KEYRING_RATE_LIMIT_PER_MINUTE: '600',
        REDIS_URL: 'rediss://:pw@cache:6380/1',
        KEYRING_SHUTDOWN_GRACE_SECONDS: '0',
        KEYRING_TRUST_PROXY: '10.0.0.0/8, loopback',
        KEYRING_AUDIT_CHECKPOINT_EVENTS: '500',
        KEYRING_AUDIT_CHECKPOINT_MINUTES: '15',
      },
      '/srv/keyring',
    );
    expect(config).toEqual({
      nodeEnv: 'production',
      port: 8080,
      databaseUrl: 'postgres://keyring:pw@db:5432/keyring',
      dataDir: '/var/lib/keyring',
      embeddedPostgresPort: 6000,
      consoleDir: '/srv/keyring/console',
      logLevel: 'warn',
      setupToken: 'a-setup-token-of-24-chars',
      usageFlushSeconds: 5,
      rateLimitPerMinute: 600,
      redisUrl: 'rediss://:pw@cache:6380/1',
      shutdownGraceSeconds: 0,
      trustProxy: ['10.0.0.0/8', 'loopback'],
      auditCheckpointEvents: 500,
      auditCheckpointMinutes: 15,
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
    expect(problemsOf({ KEYRING_EMBEDDED_PG_PORT: '70000' })).toEqual([
      'KEYRING_EMBEDDED_PG_PORT must be a TCP port between 0 and 65535 (got "70000")',
    ]);
  });

  it('refuses a short setup token without echoing it', () => {
    expect(problemsOf({ KEYRING_SETUP_TOKEN: 'short-secret' })).toEqual([
      'KEYRING_SETUP_TOKEN must have at least 16 characters',
    ]);
  });

  it('refuses to run in production without master keys', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'KEYRING_MASTER_KEYS is required when NODE_ENV=production (id:base64-of-32-bytes, comma-separated)',
    ]);
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
    expect(problemsOf({ REDIS_URL: 'http://:hunter2@cache:6379' })).toEqual(['REDIS_URL must start with redis:// or rediss:// (got "http://")']);
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/0' }).redisUrl).toBe('redis://cache:6379/0');
    expect(loadConfig({ KEYRING_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(problemsOf({ KEYRING_TRUST_PROXY: 'yes please' })).toEqual([
      'KEYRING_TRUST_PROXY must be a number of proxies or a comma-separated list of addresses/CIDRs (got "yes please")',
    ]);
  });
});
