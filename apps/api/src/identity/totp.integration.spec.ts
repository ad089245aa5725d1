import { generate } from 'otplib';
import { completeSetup, OWNER, signIn, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('two-factor sign-in with TOTP (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let secret: string;
  let recoveryCodes: string[];
  const now = () => Math.floor(Date.now() / 1000);
  const login = (totpCode?: string) =>
    keyring.request('POST', '/api/v1/auth/login', { body: { ...OWNER, ...(totpCode !== undefined && { totpCode }) } });

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
  });
  afterAll(() => keyring.close());

  it('enrols: an otpauth URL and a secret, encrypted at rest until confirmed', async () => {
    const response = await owner.request('POST', '/api/v1/auth/totp/enrol');
    expect(response.status).toBe(200);
    secret = response.body.secret;
    expect(response.body.otpauthUrl).toBe(`otpauth://totp/Keyring:owner%40agency.example?secret=${secret}&issuer=Keyring`);
    const [row] = await keyring.db.query<{ totp_pending_enc: string; totp_enabled_at: Date | null }>(
      'SELECT totp_pending_enc, totp_enabled_at FROM users WHERE id = $1',
      [owner.userId],
    );
    expect(row.totp_enabled_at).toBeNull();
    expect(row.totp_pending_enc).not.toContain(secret);
    expect(JSON.parse(Buffer.from(row.totp_pending_enc.split('.')[0], 'base64url').toString())).toMatchObject({
      purpose: 'totp-secret',
      userId: owner.userId,
      alg: 'A256GCMKW',
    });
  });

  it('turns on only with a valid code, and hands out ten recovery codes once', async () => {
    // A wrong code from a signed-in user is a field error (400), not a 401 the console would take for a lost session.
    const wrong = await owner.request('POST', '/api/v1/auth/totp/confirm', { body: { code: '000000' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ type: 'urn:keyring:problem:wrong-totp-code', errors: [{ field: 'code', message: expect.stringContaining('not valid') }] });
    const malformed = await owner.request('POST', '/api/v1/auth/totp/confirm', { body: { code: '12ab' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'code', message: 'code must be the 6-digit code from your authenticator app' }]);

    const response = await owner.request('POST', '/api/v1/auth/totp/confirm', { body: { code: await generate({ secret }) } });
    expect({ status: response.status, detail: response.body.detail }).toEqual({ status: 200, detail: undefined });
    recoveryCodes = response.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    // At rest: argon2id with the password parameters, so a dump does not give the ~40-bit codes away.
    const stored = await keyring.db.query<{ code_hash: string }>('SELECT code_hash FROM recovery_codes WHERE user_id = $1', [owner.userId]);
    expect(stored.map((row) => row.code_hash)).toEqual(Array(10).fill(expect.stringMatching(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)));
  });

  it('asks for the code after the password', async () => {
    const response = await login();
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: 'urn:keyring:problem:totp-required', totpRequired: true });
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a code already used, accepts a fresh one', async () => {
    const replayed = await login(await generate({ secret }));
    expect(replayed.status).toBe(401);
    expect(replayed.body.type).toBe('urn:keyring:problem:totp-invalid');
    const next = await login(await generate({ secret, epoch: now() + 30 }));
    expect(next.status).toBe(200);
    expect(next.headers.get('set-cookie')).toMatch(/^keyring_session=/);
  });

  it('accepts each recovery code once', async () => {
    expect((await login(recoveryCodes[0])).status).toBe(200);
    const reused = await login(recoveryCodes[0]);
    expect(reused.status).toBe(401);
  });

  it('turns off with the password and a code', async () => {
    const wrongPassword = await owner.request('POST', '/api/v1/auth/totp/disable', { body: { password: 'not-my-password-1', code: recoveryCodes[1] } });
    expect(wrongPassword.status).toBe(403);
    expect(wrongPassword.body).toMatchObject({ type: 'urn:keyring:problem:wrong-password', errors: [{ field: 'password', message: 'The password is not correct.' }] });
    const wrongCode = await owner.request('POST', '/api/v1/auth/totp/disable', { body: { password: OWNER.password, code: '000000' } });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body).toMatchObject({ type: 'urn:keyring:problem:wrong-totp-code', errors: [{ field: 'code', message: 'That code is not valid.' }] });
    const response = await owner.request('POST', '/api/v1/auth/totp/disable', { body: { password: OWNER.password, code: recoveryCodes[1] } });
    expect(response.status).toBe(204);
    expect((await login()).status).toBe(200);
  });

  it('audits the changes, and no TOTP secret or recovery code reaches a log or an audit row', async () => {
    const session = await signIn(keyring, OWNER.email, OWNER.password);
    const events = await session.request('GET', `/api/v1/orgs/${orgId}/audit-events?limit=200`);
    const actions = events.body.items.map((event: { action: string }) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.totp_enabled', 'auth.recovery_code_used', 'auth.totp_disabled']));
    const failures = events.body.items.filter((event: { action: string }) => event.action === 'auth.login_failed');
    expect(failures.map((event: { details: { factor: string } }) => event.details.factor)).toContain('totp');

    const audit = JSON.stringify(await keyring.db.query('SELECT * FROM audit_events'));
    const logs = keyring.logs.join('\n');
    for (const value of [secret, ...recoveryCodes]) {
      expect({ value, inLogs: logs.includes(value), inAudit: audit.includes(value) }).toEqual({ value, inLogs: false, inAudit: false });
    }
  });
});
