import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { freePort } from '../../test/free-port';
import { auditRewriteRisks, roleOf } from './database-roles';
import { dataSourceOptions } from './data-source';

interface Install {
  child: ChildProcessWithoutNullStreams;
  url: string;
  ownerUrl: string;
  applied: number;
}

/** The default install (`npm start` without DATABASE_URL): Keyring creates both roles itself. */
describe('embedded PostgreSQL: an owner for migrations, an app role that cannot rewrite the audit log', () => {
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    const root = join(__dirname, '../../../../tmp');
    await mkdir(root, { recursive: true });
    dataDir = await mkdtemp(join(root, 'embedded-roles-'));
    await chmod(dataDir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
    port = await freePort();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  /** Starts the embedded cluster of `dataDir` in a child process (see test/embedded-install.ts). */
  const install = async (): Promise<Install> => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../../test/embedded-install.ts')], {
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '../../tsconfig.app.json'), KEYRING_DATA_DIR: dataDir, KEYRING_EMBEDDED_PG_PORT: String(port) },
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const [line] = (await Promise.race([once(createInterface(child.stdout), 'line'), once(child, 'exit')])) as [string | number];
    if (typeof line !== 'string') throw new Error(`the embedded install did not start: ${errors}`);
    return { child, ...JSON.parse(line) };
  };
  const stop = async ({ child }: Install) => {
    child.stdin.end();
    await once(child, 'exit');
  };

  it('creates the app role beside the owner, migrates as the owner, and refuses the app role every rewrite', async () => {
    const first = await install();
    try {
      expect(first.applied).toBeGreaterThan(0);
      expect([roleOf(first.url), roleOf(first.ownerUrl)]).toEqual(['keyring_app', 'keyring']);
      for (const file of ['postgres-password', 'postgres-app-password']) {
        expect((await readFile(join(dataDir, file), 'utf8')).trim()).toMatch(/^[\w-]{32}$/);
      }
      const app = await new DataSource(dataSourceOptions(first.url)).initialize();
      expect(await auditRewriteRisks(app)).toEqual({ role: 'keyring_app', risks: [] });
      await app.destroy();

      const attacker = new Client({ connectionString: first.url });
      await attacker.connect();
      try {
        await expect(attacker.query('DELETE FROM audit_events')).rejects.toMatchObject({ code: '42501', message: 'permission denied for table audit_events' });
        await expect(attacker.query('ALTER TABLE audit_events DISABLE TRIGGER ALL')).rejects.toMatchObject({
          code: '42501',
          message: 'must be owner of table audit_events',
        });
        await expect(attacker.query('SET session_replication_role = replica')).rejects.toMatchObject({
          code: '42501',
          message: 'permission denied to set parameter "session_replication_role"',
        });
        await attacker.query("INSERT INTO login_throttle (key, failures) VALUES ('k', 1)"); // its own tables stay writable
      } finally {
        await attacker.end();
      }
    } finally {
      await stop(first);
    }

    // The next start finds both roles and their passwords again.
    const second = await install();
    try {
      expect(second.applied).toBe(0);
      const app = new Client({ connectionString: second.url });
      await app.connect();
      await expect(app.query('SELECT failures FROM login_throttle')).resolves.toMatchObject({ rows: [{ failures: 1 }] });
      await app.end();
    } finally {
      await stop(second);
    }
  }, 120_000);
});
