import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ensureLoginRole } from '../src/database/database-roles';
import { dataSourceOptions, runMigrations } from '../src/database/data-source';
import { createDatabaseIfMissing, startEmbeddedPostgres, type RunningPostgres } from '../src/database/embedded-postgres';
import { withDatabase } from './database-url';
import { freePort } from './free-port';

declare global {
  var __KEYRING_TEST_POSTGRES__: RunningPostgres | undefined;
}

/**
 * Starts one PostgreSQL for the whole run (embedded, or the server in TEST_DATABASE_URL) and migrates a template
 * database once; each test file then gets a fresh copy of it in milliseconds (see test-database.ts). The apps
 * under test run as a role of this run that owns nothing, as in production (grants copied with the template).
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
  // Everything this run creates on the server starts with this, so that its teardown removes only its own.
  const run = `keyring_run_${process.pid}`;
  const appRole = `${run}_app`;
  const appPassword = randomBytes(18).toString('base64url');
  await ensureLoginRole(adminUrl, appRole, appPassword);
  const template = `${run}_template`;
  await createDatabaseIfMissing(adminUrl, template);
  const dataSource = new DataSource(dataSourceOptions(withDatabase(adminUrl, template)));
  await dataSource.initialize();
  await runMigrations(dataSource, appRole);
  await dataSource.destroy();
  process.env['KEYRING_TEST_ADMIN_URL'] = adminUrl;
  process.env['KEYRING_TEST_RUN'] = run;
  process.env['KEYRING_TEST_TEMPLATE'] = template;
  process.env['KEYRING_TEST_APP_ROLE'] = appRole;
  process.env['KEYRING_TEST_APP_PASSWORD'] = appPassword;
}
