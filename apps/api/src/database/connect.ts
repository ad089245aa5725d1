import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyringConfig } from '../config/keyring-config';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';

/**
 * The database of this installation for a command run beside the server: `DATABASE_URL`, or the embedded one,
 * reused if `npm start` is running it and started (then stopped by the caller) otherwise.
 */
export async function installationDatabase(config: KeyringConfig, log: (line: string) => void): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => undefined };
  const passwordFile = join(config.dataDir, 'postgres-password');
  let embedded: RunningPostgres | undefined;
  try {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPostgresPort,
      database: 'keyring',
      persistent: true,
      log,
    });
    return { url: embedded.url, stop: () => embedded!.stop() };
  } catch (error) {
    // Already running (the server is up): connect to it with the password kept beside the cluster.
    if (!existsSync(passwordFile) || !String(error).includes('already in use')) throw error;
    const password = (await readFile(passwordFile, 'utf8')).trim();
    return {
      url: `postgres://keyring:${encodeURIComponent(password)}@localhost:${config.embeddedPostgresPort}/keyring`,
      stop: async () => undefined,
    };
  }
}
