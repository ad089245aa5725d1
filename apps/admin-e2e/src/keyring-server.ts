import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

export interface KeyringServer {
  baseUrl: string;
  /** The server's process, for a look at its memory. */
  pid: number;
  /** Its embedded PostgreSQL as the cluster's owner (the password is generated at its first start). */
  ownerDatabaseUrl(): string;
  setupToken: string;
  output: string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The production build as `npm start` runs it: its own embedded PostgreSQL in a fresh data folder, the API and
 * the console on one port. Build first (`nx run admin-e2e:e2e` does).
 */
export async function startKeyring(extraEnv: Record<string, string> = {}): Promise<KeyringServer> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const dataDir = mkdtempSync(join(ROOT, 'tmp', 'e2e-'));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
  // The generated master key goes outside the data folder; here, not into the user's ~/.config.
  const localKeyDir = mkdtempSync(join(ROOT, 'tmp', 'e2e-keys-'));
  const port = await freePort();
  const pgPort = await freePort();
  const setupToken = 'e2e-setup-token-0123456789';
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['dist/apps/api/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      KEYRING_DATA_DIR: dataDir,
      KEYRING_LOCAL_KEY_DIR: localKeyDir,
      KEYRING_EMBEDDED_PG_PORT: String(pgPort),
      KEYRING_METRICS_PORT: String(await freePort()),
      KEYRING_SETUP_TOKEN: setupToken,
      NODE_ENV: 'development',
      // Usage counts reach the dashboard's chart (read from the hourly and daily rollups) within two seconds.
      KEYRING_USAGE_FLUSH_SECONDS: '1',
      KEYRING_USAGE_ROLLUP_SECONDS: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`Keyring exited at start:\n${output.join('')}`);
    const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (waited > 60_000) throw new Error(`Keyring did not become ready:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    pid: child.pid!,
    ownerDatabaseUrl: () => `postgres://keyring:${encodeURIComponent(readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim())}@localhost:${pgPort}/keyring`,
    setupToken,
    output,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(localKeyDir, { recursive: true, force: true });
    },
  };
}
