import { addMember, OWNER, signIn, TEST_SETUP_TOKEN } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('setup, sign-in and sessions (real app, real PostgreSQL)', () => {
  let keyring: TestApp;

  beforeAll(async () => {
    keyring = await startTestApp();
  });
  afterAll(() => keyring.close());

  describe('first-run setup', () => {
    const valid = { setupToken: TEST_SETUP_TOKEN, ...OWNER, organizationName: 'Agency One' };

    it('is required on a new installation', async () => {
      expect((await keyring.request('GET', '/api/v1/setup')).body).toEqual({ required: true });
    });

    it('refuses a wrong setup token', async () => {
      const response = await keyring.request('POST', '/api/v1/setup', { body: { ...valid, setupToken: 'not-the-setup-token' } });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ type: 'urn:keyring:problem:setup-token-invalid', detail: 'The setup token is not valid.' });
    });

    it('refuses a weak password beside its field', async () => {
      const response = await keyring.request('POST', '/api/v1/setup', { body: { ...valid, password: 'password1234' } });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        type: 'urn:keyring:problem:weak-password',
        errors: [{ field: 'password', message: 'This password is too common; choose another.' }],
      });
    });

    it('names every invalid or unknown field', async () => {
      const response = await keyring.request('POST', '/api/v1/setup', {
        body: { setupToken: TEST_SETUP_TOKEN, email: 'not-an-email', password: 12, organizationName: '   ', admin: true },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'email', message: 'email must be an email address' },
          { field: 'password', message: 'password must be a string' },
          { field: 'organizationName', message: 'organizationName must not be blank' },
          { field: 'admin', message: 'property admin should not exist' },
        ]),
      );
    });

    it('creates the first owner and organization, once', async () => {
      const response = await keyring.request('POST', '/api/v1/setup', { body: valid });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        user: { id: expect.any(String), email: OWNER.email },
        organization: { id: expect.any(String), name: 'Agency One' },
      });
      expect((await keyring.request('GET', '/api/v1/setup')).body).toEqual({ required: false });

      const again = await keyring.request('POST', '/api/v1/setup', { body: { ...valid, email: 'second@agency.example' } });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ type: 'urn:keyring:problem:setup-already-done', detail: 'Setup has already been done; sign in instead.' });
    });

    it('keeps only a hash of the setup token', async () => {
      const [state] = await keyring.db.query<{ token_hash: Buffer | null }>('SELECT token_hash FROM setup_state');
      expect(state.token_hash).toBeNull();
    });
  });

  describe('sign-in', () => {
    it('opens a session in an httpOnly, SameSite=Strict cookie and returns memberships and a CSRF token', async () => {
      const response = await keyring.request('POST', '/api/v1/auth/login', { body: { email: 'OWNER@agency.example', password: OWNER.password } });
      expect(response.status).toBe(200);
      const cookie = response.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^keyring_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/);
      expect(response.body).toEqual({
        user: { id: expect.any(String), email: OWNER.email, totpEnabled: false },
        memberships: [{ organizationId: expect.any(String), organizationName: 'Agency One', role: 'owner' }],
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const me = await keyring.request('GET', '/api/v1/auth/me', { headers: { cookie: cookie.split(';')[0] } });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(response.body);
    });

    it('stores the session id only hashed', async () => {
      const session = await signIn(keyring, OWNER.email, OWNER.password);
      const token = session.cookie.split('=')[1];
      const rows = await keyring.db.query<Record<string, unknown>>('SELECT * FROM sessions');
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it('gives the same answer for a wrong password and an unknown email', async () => {
      const wrongPassword = await keyring.request('POST', '/api/v1/auth/login', { body: { email: OWNER.email, password: 'wrong-password-123' } });
      const unknownEmail = await keyring.request('POST', '/api/v1/auth/login', { body: { email: 'nobody@agency.example', password: 'wrong-password-123' } });
      for (const response of [wrongPassword, unknownEmail]) {
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ type: 'urn:keyring:problem:invalid-credentials', detail: 'The email or password is not correct.' });
        expect(response.headers.get('set-cookie')).toBeNull();
      }
    });

    it('takes as long for an unknown email as for a wrong password', async () => {
      // Its own known user, so that these failures do not count against the owner's throttle.
      const owner = await signIn(keyring, OWNER.email, OWNER.password);
      const [{ id: orgId }] = await keyring.db.query<{ id: string }>('SELECT id FROM organizations LIMIT 1');
      await addMember(keyring, owner, orgId, 'timing@agency.example', 'auditor');
      const time = async (email: string) => {
        const started = performance.now();
        const response = await keyring.request('POST', '/api/v1/auth/login', { body: { email, password: 'timing-password-123' } });
        expect(response.status).toBe(401);
        return performance.now() - started;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 4; i++) {
        known.push(await time('timing@agency.example'));
        unknown.push(await time(`ghost-${i}@agency.example`));
      }
      // Skipping the password hash for unknown emails would make them about ten times faster; noise on a busy
      // two-core machine stays well inside a factor of three.
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
      const ratio = median(unknown) / median(known);
      expect(ratio).toBeGreaterThan(1 / 3);
      expect(ratio).toBeLessThan(3);
    });

    it('throttles repeated failures for one email with Retry-After', async () => {
      const email = 'target@agency.example';
      const attempts = [];
      for (let i = 0; i < 7; i++) {
        attempts.push(await keyring.request('POST', '/api/v1/auth/login', { body: { email, password: `guess-number-${i}` } }));
      }
      expect(attempts.slice(0, 6).map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
      const throttled = attempts[6];
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(throttled.body).toMatchObject({
        type: 'urn:keyring:problem:login-throttled',
        detail: expect.stringMatching(/^Too many failed sign-ins\. Try again in \d+ seconds?\.$/),
      });
    });
  });

  describe('password change', () => {
    it('needs the current password, applies the policy, signs out the other sessions and is audited', async () => {
      const owner = await signIn(keyring, OWNER.email, OWNER.password);
      const [{ organization_id: organizationId }] = await keyring.db.query('SELECT organization_id FROM memberships LIMIT 1');
      const member = await addMember(keyring, owner, organizationId, 'changer@agency.example', 'operator');
      const otherDevice = await signIn(keyring, member.email, 'operator-password-harbor-7');
      const change = (body: object) => member.request('POST', '/api/v1/auth/password', { body });

      const wrong = await change({ currentPassword: 'not-my-password-1', newPassword: 'lantern-orchard-river-5' });
      expect(wrong.status).toBe(403);
      expect(wrong.body).toMatchObject({
        type: 'urn:keyring:problem:wrong-password',
        errors: [{ field: 'currentPassword', message: 'The current password is not correct.' }],
      });
      const weak = await change({ currentPassword: 'operator-password-harbor-7', newPassword: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.errors).toEqual([{ field: 'newPassword', message: expect.stringContaining('12') }]);

      const done = await change({ currentPassword: 'operator-password-harbor-7', newPassword: 'lantern-orchard-river-5' });
      expect(done.status).toBe(204);
      expect((await member.request('GET', '/api/v1/auth/me')).status).toBe(200);
      expect((await otherDevice.request('GET', '/api/v1/auth/me')).status).toBe(401);
      expect((await keyring.request('POST', '/api/v1/auth/login', { body: { email: member.email, password: 'operator-password-harbor-7' } })).status).toBe(401);
      await signIn(keyring, member.email, 'lantern-orchard-river-5');
      const [event] = await keyring.db.query("SELECT details FROM audit_events WHERE action = 'auth.password_changed'");
      expect(event.details).toEqual({ otherSessionsClosed: 1 });
      expect(keyring.logs.join('\n')).not.toContain('lantern-orchard-river-5');
    });
  });

  describe('session rules', () => {
    it('refuses a mutating request without the right CSRF token', async () => {
      const session = await signIn(keyring, OWNER.email, OWNER.password);
      for (const csrf of [undefined, 'wrong-token']) {
        const response = await keyring.request('POST', '/api/v1/auth/logout', {
          headers: { cookie: session.cookie, ...(csrf && { 'x-csrf-token': csrf }) },
        });
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({
          type: 'urn:keyring:problem:csrf-token-invalid',
          detail: 'Missing or wrong X-CSRF-Token header: send the csrfToken returned by login or GET /api/v1/auth/me.',
        });
      }
      expect((await session.request('GET', '/api/v1/auth/me')).status).toBe(200);
    });

    it('logs out: the cookie no longer opens anything', async () => {
      const session = await signIn(keyring, OWNER.email, OWNER.password);
      const response = await session.request('POST', '/api/v1/auth/logout');
      expect(response.status).toBe(204);
      const me = await session.request('GET', '/api/v1/auth/me');
      expect(me.status).toBe(401);
      expect(me.body).toMatchObject({ type: 'urn:keyring:problem:not-signed-in' });
    });

    it('expires a session idle for 30 minutes, and any session after 12 hours', async () => {
      const idle = await signIn(keyring, OWNER.email, OWNER.password);
      const old = await signIn(keyring, OWNER.email, OWNER.password);
      await keyring.db.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = (SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at DESC OFFSET 1 LIMIT 1)", [idle.userId]);
      await keyring.db.query("UPDATE sessions SET expires_at = now() - interval '1 second', last_seen_at = now() WHERE id = (SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)", [old.userId]);
      expect((await idle.request('GET', '/api/v1/auth/me')).status).toBe(401);
      expect((await old.request('GET', '/api/v1/auth/me')).status).toBe(401);
    });

    it('answers 401 without a session', async () => {
      const response = await keyring.request('GET', '/api/v1/orgs');
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ detail: 'Sign in first: there is no valid session (it may have expired).' });
    });
  });
});

describe('setup token generated at first start', () => {
  it('is printed once across restarts, and setup accepts it', async () => {
    const printedLines = () =>
      keyring.logs.map((line) => JSON.parse(line).msg as string).filter((msg) => msg?.includes('one-time setup token'));
    let keyring = await startTestApp({ KEYRING_SETUP_TOKEN: '' });
    const db = keyring.db;
    try {
      expect(printedLines()).toHaveLength(1);
      const token = printedLines()[0].match(/setup token: (\S+)$/)![1];
      await keyring.app.close();

      keyring = await startTestApp({ KEYRING_SETUP_TOKEN: '' }, db);
      expect(printedLines()).toHaveLength(1);
      expect(keyring.logs.some((line) => line.includes('Setup is pending: use the setup token printed at first start'))).toBe(true);

      const response = await keyring.request('POST', '/api/v1/setup', {
        body: { setupToken: token, ...OWNER, organizationName: 'Generated' },
      });
      expect(response.status).toBe(201);
    } finally {
      await keyring.app.close();
      await db.drop();
    }
  });
});
