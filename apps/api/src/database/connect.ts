import type { KeyringConfig } from '../config/keyring-config';
import { embeddedUrls, startEmbeddedPostgres } from './embedded-postgres';

export interface InstallationDatabase {
  /** As the app's role. */
  url: string;
  /** As the schema's owner, for migrations (the same as `url` when one role does both). */
  migrationUrl: string;
  stop(): Promise<void>;
}

/**
 * The database of this installation for a command run beside the server: `DATABASE_URL` (and
 * `DATABASE_MIGRATION_URL`), or the embedded one, reused if `npm start` is running it and started (then stopped
 * by the caller) otherwise.
 */
export async function installationDatabase(config: KeyringConfig, log: (line: string) => void): Promise<InstallationDatabase> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, migrationUrl: config.databaseMigrationUrl ?? config.databaseUrl, stop: async () => undefined };
  }
  const options = { dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'keyring' };
  try {
    const embedded = await startEmbeddedPostgres({ ...options, persistent: true, log });
    return { url: embedded.url, migrationUrl: embedded.ownerUrl, stop: () => embedded.stop() };
  } catch (error) {
    // Already running (the server is up): connect to it with the passwords kept beside the cluster.
    if (!String(error).includes('already in use')) throw error;
    const urls = await embeddedUrls(options);
    return { url: urls.url, migrationUrl: urls.ownerUrl, stop: async () => undefined };
  }
}
