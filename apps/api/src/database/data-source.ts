import { DataSource, type DataSourceOptions } from 'typeorm';
import { grantAppRole, roleOf } from './database-roles';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsRun: false, // run by runMigrations(), under a lock
    synchronize: false,
    applicationName: 'keyring',
    extra: { max: 20, connectionTimeoutMillis: 5_000 },
  };
}

// Any constant will do; it only has to be the same in every Keyring instance.
const MIGRATION_LOCK = 0x6b657972; // "keyr"

/**
 * Applies pending migrations and, given the app's role, grants it what it needs (see grantAppRole). Several
 * instances may start at once against one database, so they queue on an advisory lock and each one after the
 * first finds nothing left to do.
 */
export async function runMigrations(dataSource: DataSource, appRole?: string): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (appRole !== undefined) await grantAppRole(lock, appRole);
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

/**
 * Migrates as the schema's owner (`migrationUrl`) for the app that runs as `appUrl`'s role, on a connection of its
 * own that is closed afterwards: the app's pool never holds the owner's rights.
 */
export async function migrateDatabase(migrationUrl: string, appUrl: string): Promise<string[]> {
  const owner = new DataSource({ ...dataSourceOptions(migrationUrl), extra: { max: 2, connectionTimeoutMillis: 5_000 } });
  await owner.initialize();
  try {
    return await runMigrations(owner, roleOf(appUrl));
  } finally {
    await owner.destroy();
  }
}
