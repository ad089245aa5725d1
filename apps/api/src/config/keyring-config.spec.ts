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
    });
  });

  it('names every bad variable at once', () => {
    expect(problemsOf({ PORT: 'eighty', NODE_ENV: 'prod', LOG_LEVEL: 'loud' })).toEqual([
      'NODE_ENV must be one of development, production, test (got "prod")',
      'PORT must be a TCP port between 0 and 65535 (got "eighty")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
    expect(problemsOf({ KEYRING_EMBEDDED_PG_PORT: '70000' })).toEqual([
      'KEYRING_EMBEDDED_PG_PORT must be a TCP port between 0 and 65535 (got "70000")',
    ]);
  });

  it('refuses a short setup token without echoing it', () => {
    expect(problemsOf({ KEYRING_SETUP_TOKEN: 'short-secret' })).toEqual([
      'KEYRING_SETUP_TOKEN must have at least 16 characters',
    ]);
  });

  it('rejects a database URL without echoing it, since it may hold a password', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'not a url with hunter2' });
    expect(problem).toContain('DATABASE_URL is not a valid URL');
    expect(problem).not.toContain('hunter2');
    expect(problemsOf({ DATABASE_URL: 'mysql://u:hunter2@h/db' })).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql:// (got "mysql://")',
    ]);
  });
});
