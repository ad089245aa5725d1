import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './database-url';

export interface TestDatabase {
  url: string;
  /** Runs SQL as the database owner, bypassing the app (to inspect or to tamper, as a test needs). */
  query<T extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, fully migrated database copied from the run's template: each test file starts from zero. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requiredEnv('KEYRING_TEST_ADMIN_URL');
  const template = requiredEnv('KEYRING_TEST_TEMPLATE');
  const name = `${template}_${process.env['JEST_WORKER_ID'] ?? 0}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`),
  );
  const url = withDatabase(adminUrl, name);
  const owner = new Client({ connectionString: url });
  await owner.connect();
  return {
    url,
    query: async <T extends object>(sql: string, params?: unknown[]) => (await owner.query(sql, params)).rows as T[],
    drop: async () => {
      await owner.end();
      await withClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the API tests through jest so that global-setup.ts runs`);
  return value;
}
