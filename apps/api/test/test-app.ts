import type { NestExpressApplication } from '@nestjs/platform-express';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createKeyringApp } from '../src/app/create-app';
import { loadConfig } from '../src/config/keyring-config';
import { TEST_SETUP_TOKEN } from './identity-fixtures';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, for tests of malformed bodies. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: NestExpressApplication;
  baseUrl: string;
  db: TestDatabase;
  /** Every log line written in this test file, for assertions and leak checks. */
  logs: string[];
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  close(): Promise<void>;
}

/**
 * Every log line of every app this test file started. One sink for all of them, because Nest's static Logger
 * writes to the logger of whichever app set it last.
 */
const logs: string[] = [];

export const TEST_MASTER_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;
const sink = new Writable({
  write(chunk, _encoding, done) {
    logs.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

/**
 * The real Keyring app on a fresh migrated database, listening on a random port: tests talk to it over HTTP.
 * `env` adds configuration variables as an operator would set them.
 */
export async function startTestApp(env: Record<string, string> = {}, db?: TestDatabase): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    KEYRING_CONSOLE_DIR: '/nonexistent',
    KEYRING_SETUP_TOKEN: TEST_SETUP_TOKEN,
    KEYRING_MASTER_KEYS: TEST_MASTER_KEYS,
    // Any free port: several apps run at once.
    KEYRING_METRICS_PORT: '0',
    ...env,
  });
  const logger = pino({ level: config.logLevel }, sink);
  const app = await createKeyringApp({ config, databaseUrl: database.appUrl, migrationDatabaseUrl: database.url, logger, masterKeys: config.masterKeys! });
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();

  return {
    app,
    baseUrl,
    db: database,
    logs,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      if (options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed as any, text };
    },
    async close() {
      await app.close();
      if (!db) await database.drop();
    },
  };
}
