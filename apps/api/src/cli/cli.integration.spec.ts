import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/keyring-config';
import { roleOf } from '../database/database-roles';
import { dataSourceOptions } from '../database/data-source';
import { createWidget } from '../../test/custody-fixtures';
import { completeSetup, signIn } from '../../test/identity-fixtures';
import { startTestApp, TEST_MASTER_KEYS, type TestApp } from '../../test/test-app';
import { AuditKeys } from '../audit/audit-keys';
import { auditVerify } from './audit-verify';
import { createOwner } from './create-owner';
import { doctor } from './doctor';

describe('operator commands (real PostgreSQL)', () => {
  let keyring: TestApp;
  let dataSource: DataSource;
  const output: string[] = [];
  const print = (line: string) => output.push(line);

  beforeAll(async () => {
    keyring = await startTestApp();
    dataSource = await new DataSource(dataSourceOptions(keyring.db.url)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await keyring.close();
  });
  beforeEach(() => (output.length = 0));

  it('create-owner does the first-run setup without a token, once, with the password policy', async () => {
    const weak = createOwner(keyring.app, { email: 'ops@agency.example', organizationName: 'Agency CLI', password: 'short' }, print);
    await expect(weak).rejects.toMatchObject({ code: 'weak-password' });
    expect(await createOwner(keyring.app, { email: 'ops@agency.example', organizationName: 'Agency CLI', password: 'granite-sparrow-window-8' }, print)).toBe(0);
    expect(output).toEqual([expect.stringMatching(/^Created owner ops@agency\.example of "Agency CLI" \([0-9a-f-]{36}\)\. Sign in at the console\.$/)]);
    await signIn(keyring, 'ops@agency.example', 'granite-sparrow-window-8');
    const again = createOwner(keyring.app, { email: 'other@agency.example', organizationName: 'X', password: 'granite-sparrow-window-9' }, print);
    await expect(again).rejects.toMatchObject({ code: 'setup-already-done' });
    const [event] = await dataSource.query("SELECT details FROM audit_events WHERE action = 'setup.completed'");
    expect(event.details).toEqual({ ownerEmail: 'ops@agency.example', organizationName: 'Agency CLI', via: 'cli' });
  });

  it('audit-verify says every chain holds, and exits 1 naming the event after a tampering', async () => {
    const keys = keyring.app.get(AuditKeys);
    expect(await auditVerify(dataSource, keys, print)).toBe(0);
    expect(output).toEqual([expect.stringMatching(/^ok {6}Agency CLI \(.+\): \d+ events, chain holds$/), 'Every audit chain holds.']);
    output.length = 0;
    // A superuser bypassing the append-only trigger, as an attacker with database access would.
    await keyring.db.query(
      `BEGIN; SET LOCAL session_replication_role = replica; UPDATE audit_events SET details = '{"ownerEmail":"mallory@evil.example"}' WHERE action = 'setup.completed'; COMMIT;`,
    );
    expect(await auditVerify(dataSource, keys, print)).toBe(1);
    expect(output[0]).toMatch(/^BROKEN {2}Agency CLI \(.+\): Event 1 does not match its MAC\. \(0 events before it hold\)$/);
    expect(output[1]).toBe('1 audit chain(s) broken.');
  });

  it('doctor passes a sound installation and names what is wrong, without printing the database password', async () => {
    const config = loadConfig({ NODE_ENV: 'test', KEYRING_MASTER_KEYS: TEST_MASTER_KEYS, KEYRING_CONSOLE_DIR: '/nonexistent' });
    expect(await doctor(config, keyring.db.appUrl, print)).toBe(0);
    expect(output).toEqual(
      expect.arrayContaining([
        'ok      database: reachable',
        'ok      migrations: all applied',
        `ok      audit log: the app's database role "${process.env['KEYRING_TEST_APP_ROLE']}" can only read and append to it`,
        'ok      secrets: every stored secret can be decrypted with the configured master keys',
        'note    console: not built in /nonexistent; the API runs without it (npx nx build admin)',
        'Keyring can run with this configuration.',
      ]),
    );

    // Run as the owner (a superuser here), as an installation with one role for everything would: a warning.
    output.length = 0;
    expect(await doctor(config, keyring.db.url, print)).toBe(0);
    expect(output).toContain(
      `note    audit log: the app's database role "${roleOf(keyring.db.url)}" could rewrite it (a superuser); run the app as a role ` +
        'that owns nothing (DATABASE_URL) and migrations as the owner (DATABASE_MIGRATION_URL), see README',
    );

    output.length = 0;
    const owner = await signIn(keyring, 'ops@agency.example', 'granite-sparrow-window-8');
    const [{ organization_id: organizationId }] = await dataSource.query('SELECT organization_id FROM memberships LIMIT 1');
    await createWidget(owner, organizationId, { secret: 'doctor-widget-secret' });
    await dataSource.query("UPDATE secret_versions SET master_key_id = 'retired-key'");
    expect(await doctor(config, keyring.db.url, print)).toBe(1);
    expect(output).toContain('PROBLEM secrets: encrypted under master key(s) not configured in KEYRING_MASTER_KEYS: "retired-key" (1 secret version)');

    output.length = 0;
    expect(await doctor(config, 'postgres://keyring:hunter2-db-password@127.0.0.1:1/keyring', print)).toBe(1);
    expect(output.find((line) => line.startsWith('PROBLEM database: not reachable'))).toBeDefined();
    expect(output.join('\n')).not.toContain('hunter2-db-password');
  });

  it('doctor checks the stored secrets against a local key, and says to move one left in the data folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'keyring-doctor-'));
    try {
      const dataDir = join(root, 'data');
      await mkdir(dataDir);
      await writeFile(join(dataDir, 'master-key'), `local:${Buffer.alloc(32, 3).toString('base64')}\n`, { mode: 0o600 });
      const config = loadConfig({ NODE_ENV: 'test', KEYRING_DATA_DIR: dataDir, KEYRING_LOCAL_KEY_DIR: join(root, 'keys'), KEYRING_CONSOLE_DIR: '/nonexistent' });
      expect(await doctor(config, keyring.db.appUrl, print)).toBe(1);
      expect(output).toContain(
        `note    master keys: the local key is in the data folder (${join(dataDir, 'master-key')}), beside the database; ` +
          `move it to ${join(root, 'keys', '<install id>', 'master-key')}`,
      );
      // The earlier test left its secret under "retired-key": the local key does not open it either.
      expect(output).toContain('PROBLEM secrets: encrypted under master key(s) not configured in KEYRING_MASTER_KEYS: "retired-key" (1 secret version)');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
