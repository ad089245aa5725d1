import { mkdir, mkdtemp, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../src/database/data-source';
import { createDatabaseIfMissing, startEmbeddedPostgres, type RunningPostgres } from '../src/database/embedded-postgres';
import { withDatabase } from './database-url';
import { freePort } from './free-port';

declare global {
  var __KEYRING_TEST_POSTGRES__: RunningPostgres | undefined;
}

/**
 * Starts one PostgreSQL for the whole run (embedded, or the server in TEST_DATABASE_URL) and migrates a template
 * database once; each test file then gets a fresh copy of it in milliseconds (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env['TEST_DATABASE_URL'];
  if (!adminUrl) {
    const root = join(__dirname, '../../../tmp');
    await mkdir(root, { recursive: true });
    const dataDir = await mkdtemp(join(root, 'test-postgres-'));
    await chmod(dataDir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
    const postgres = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'postgres',
      persistent: false,
      log: () => undefined,
    });
    globalThis.__KEYRING_TEST_POSTGRES__ = postgres;
    adminUrl = postgres.adminUrl;
  }
  // Every database of this run starts with the template's name, so that the teardown leaves other runs' alone.
  const template = `keyring_test_${process.pid}_${Date.now().toString(36)}`;
  await createDatabaseIfMissing(adminUrl, template);
  const dataSource = new DataSource(dataSourceOptions(withDatabase(adminUrl, template)));
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  process.env['KEYRING_TEST_ADMIN_URL'] = adminUrl;
  process.env['KEYRING_TEST_TEMPLATE'] = template;
}
