import { generateSecret } from 'otplib';
import { DataSource } from 'typeorm';
import { OWNER } from '../../test/identity-fixtures';
import { startTestApp, TEST_MASTER_KEYS, type TestApp } from '../../test/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/test-database';
import { loadConfig } from '../config/keyring-config';
import { Envelope } from '../crypto/envelope';
import { dataSourceOptions } from '../database/data-source';
import { MIGRATIONS } from '../database/migrations';
import { HashRecoveryCodesWithArgon21764400200000 } from '../database/migrations/1764400200000-HashRecoveryCodesWithArgon2';
import { PasswordHasher } from './password-hasher';
import { sha256 } from './secret-tokens';

/** Migrates `db` with the migrations before (or up to and after) the one that moved recovery codes to argon2id. */
async function migrate(db: TestDatabase, until: 'before' | 'all'): Promise<void> {
  const upgrade = MIGRATIONS.indexOf(HashRecoveryCodesWithArgon21764400200000);
  const dataSource = new DataSource({ ...dataSourceOptions(db.url), migrations: until === 'all' ? MIGRATIONS : MIGRATIONS.slice(0, upgrade) });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
}

describe('recovery codes at rest (real PostgreSQL, real migrations)', () => {
  let db: TestDatabase;
  let keyring: TestApp;
  const legacyCodes = ['abcd-efgh', 'jkmn-pqrs', 'tuvw-xyz2'];

  beforeAll(async () => {
    // An installation of the version before: a user with two-factor sign-in and codes stored as bare SHA-256.
    db = await createTestDatabase({ empty: true });
    await migrate(db, 'before');
    const envelope = new Envelope(loadConfig({ KEYRING_MASTER_KEYS: TEST_MASTER_KEYS }).masterKeys!);
    const [user] = await db.query<{ id: string }>("INSERT INTO users (email, password_hash, totp_enabled_at) VALUES ($1, $2, now()) RETURNING id", [
      OWNER.email,
      await new PasswordHasher().hash(OWNER.password),
    ]);
    const totpSecret = await envelope.encrypt(generateSecret(), { purpose: 'totp-secret', userId: user.id });
    await db.query('UPDATE users SET totp_secret_enc = $2 WHERE id = $1', [user.id, totpSecret]);
    await db.query('INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])', [user.id, legacyCodes.map(sha256)]);

    await migrate(db, 'all');
    keyring = await startTestApp({}, db);
  }, 60_000);
  afterAll(async () => {
    await keyring.close();
    await db.drop();
  });

  const login = (totpCode: string) => keyring.request('POST', '/api/v1/auth/login', { body: { email: OWNER.email, password: OWNER.password, totpCode } });

  it('wraps every stored digest in argon2id: the dump no longer holds the SHA-256 of any code', async () => {
    const stored = await db.query<{ code_hash: string }>('SELECT code_hash FROM recovery_codes');
    expect(stored).toHaveLength(3);
    for (const { code_hash } of stored) expect(code_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const dump = JSON.stringify(await db.query('SELECT * FROM recovery_codes'));
    for (const code of legacyCodes) expect(dump).not.toContain(sha256(code).toString('hex'));
  });

  it('accepts a code handed out before the upgrade, once, and refuses a wrong one with the API message', async () => {
    expect((await login(legacyCodes[1])).status).toBe(200);
    const reused = await login(legacyCodes[1]);
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ type: 'urn:keyring:problem:totp-invalid', detail: 'That code is not valid; try the next one from your app.' });
    expect((await login('zzzz-zzzz')).status).toBe(401);
    expect((await db.query('SELECT count(*)::int AS unused FROM recovery_codes WHERE used_at IS NULL'))[0]).toEqual({ unused: 2 });
  });
});
