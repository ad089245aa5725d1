import type { DataSource, DataSourceOptions } from 'typeorm';
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
 * Applies pending migrations. Several instances may start at once against one database, so they queue on an
 * advisory lock and each one after the first finds nothing left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
