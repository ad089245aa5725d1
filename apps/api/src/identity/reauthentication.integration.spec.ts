import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, OWNER, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { INVITATIONS_PER_HOUR } from '../organizations/members.service';

/**
 * An attacker with an account (or a stolen session) scripting guesses against every check of a password or code
 * outside sign-in: each gets the same budget as sign-in (5 free failures per account, then back-off; 20 per IP),
 * a 429 with Retry-After after it, and every failure is audited without the guess.
 */
describe('re-authentication is throttled and audited (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let widgetId: string;
  const guesses: string[] = [];
  const guess = () => {
    const value = `wrong-guess-${guesses.length}-tangerine`;
    guesses.push(value);
    return value;
  };

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    ({ widgetId } = await createWidget(owner, orgId, { secret: 'reauth-widget-secret-01' }));
  });
  afterAll(() => keyring.close());
  // Each scenario starts with clean counts, as if an hour had passed: the per-IP count would otherwise carry over.
  beforeEach(() => keyring.db.query('DELETE FROM login_throttle'));

  /** Sends wrong credentials until refused with 429; returns the statuses seen and the 429. */
  async function guessUntilThrottled(send: () => Promise<{ status: number; headers: Headers; body: any }>) {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await send();
      statuses.push(response.status);
      if (response.status === 429) return { statuses, throttled: response };
    }
    throw new Error(`never throttled: ${statuses.join(' ')}`);
  }

  function expectThrottledAfterSix(result: Awaited<ReturnType<typeof guessUntilThrottled>>, refusal: number) {
    expect(result.statuses).toEqual([refusal, refusal, refusal, refusal, refusal, refusal, 429]);
    expect(Number(result.throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(result.throttled.body).toMatchObject({
      type: 'urn:keyring:problem:reauthentication-throttled',
      status: 429,
      detail: expect.stringMatching(/^Too many wrong passwords or codes\. Try again in \d+ seconds?\.$/),
      retryAfterSeconds: Number(result.throttled.headers.get('retry-after')),
    });
  }

  it('reveal: wrong passwords are 403, then 429 — and the right password is refused too while locked', async () => {
    const reveal = (password: string) => owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions/1/reveal`, { body: { password } });
    const first = await reveal(guess());
    expect(first.body).toMatchObject({ type: 'urn:keyring:problem:wrong-password', detail: 'The password is not correct; the secret was not revealed.' });
    expectThrottledAfterSix(await guessUntilThrottled(() => reveal(guess())).then(({ statuses, throttled }) => ({ statuses: [403, ...statuses], throttled })), 403);
    const right = await reveal(OWNER.password);
    expect(right.status).toBe(429);
    expect(right.body.secret).toBeUndefined();
  });

  it('password change and turning 2FA off (password) share the account budget with sign-in', async () => {
    const user = await addMember(keyring, owner, orgId, 'changer@agency.example', 'auditor');
    await keyring.db.query('DELETE FROM login_throttle');
    const change = () => user.request('POST', '/api/v1/auth/password', { body: { currentPassword: guess(), newPassword: 'a-new-password-for-me-42' } });
    const disable = () => user.request('POST', '/api/v1/auth/totp/disable', { body: { password: guess(), code: '123456' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await change()).status, (await disable()).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403]);
    expect((await change()).status).toBe(429);
    // Sign-in counts against the same account: the budget is one, whichever route guesses.
    const login = await keyring.request('POST', '/api/v1/auth/login', { body: { email: 'changer@agency.example', password: 'auditor-password-harbor-7' } });
    expect(login.status).toBe(429);
  });

  it('TOTP confirm: wrong codes are 400 field errors, then 429', async () => {
    const user = await addMember(keyring, owner, orgId, 'enroller@agency.example', 'auditor');
    await keyring.db.query('DELETE FROM login_throttle');
    expect((await user.request('POST', '/api/v1/auth/totp/enrol')).status).toBe(200);
    let code = 100000;
    const result = await guessUntilThrottled(() => user.request('POST', '/api/v1/auth/totp/confirm', { body: { code: String(code++) } }));
    expectThrottledAfterSix(result, 400);
  });

  it('invitation accept for an existing account: 403 for a wrong password, then 429', async () => {
    // Anyone signed in can make an organization and invite a victim's email into it.
    const other = await addMember(keyring, owner, orgId, 'victim-owner@agency.example', 'auditor');
    const orgB = (await other.request('POST', '/api/v1/orgs', { body: { name: 'Attacker org' } })).body.id;
    const token = (await other.request('POST', `/api/v1/orgs/${orgB}/members/invitations`, { body: { email: OWNER.email, role: 'admin' } })).body.token;
    await keyring.db.query('DELETE FROM login_throttle');
    const accept = () => keyring.request('POST', '/api/v1/invitations/accept', { body: { token, password: guess() } });
    const first = await accept();
    expect(first.body).toMatchObject({ status: 403, type: 'urn:keyring:problem:wrong-password', errors: [{ field: 'password', message: 'The password is not correct.' }] });
    const result = await guessUntilThrottled(accept);
    expectThrottledAfterSix({ statuses: [403, ...result.statuses], throttled: result.throttled }, 403);
    // The victim's own sign-in is now throttled as well: guessing through invitations gives no second budget.
    expect((await keyring.request('POST', '/api/v1/auth/login', { body: OWNER })).status).toBe(429);
  });

  it('invitation accept answers a weak password the same whether or not the email has an account', async () => {
    const existing = (await owner.request('POST', '/api/v1/orgs', { body: { name: 'Second org' } })).body.id;
    const forExisting = (await owner.request('POST', `/api/v1/orgs/${existing}/members/invitations`, { body: { email: 'changer@agency.example', role: 'auditor' } })).body.token;
    const forNew = (await owner.request('POST', `/api/v1/orgs/${existing}/members/invitations`, { body: { email: 'nobody-yet@agency.example', role: 'auditor' } })).body.token;
    const answers = [];
    for (const token of [forExisting, forNew]) {
      const response = await keyring.request('POST', '/api/v1/invitations/accept', { body: { token, password: 'short' } });
      answers.push({ status: response.status, type: response.body.type, detail: response.body.detail, errors: response.body.errors });
    }
    expect(answers[0].status).toBe(400);
    expect(answers[0]).toEqual(answers[1]);
  });

  it('per IP: 20 failures over many accounts, then 429 for any account from that IP', async () => {
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await addMember(keyring, owner, orgId, `ip-${i}@agency.example`, 'auditor'));
    await keyring.db.query('DELETE FROM login_throttle');
    const statuses = [];
    for (const user of users) {
      for (let i = 0; i < 4; i++) statuses.push((await user.request('POST', '/api/v1/auth/password', { body: { currentPassword: guess(), newPassword: 'a-new-password-for-me-42' } })).status);
    }
    expect(statuses.every((status) => status === 403)).toBe(true);
    expect(statuses).toHaveLength(20);
    const next = await owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions/1/reveal`, { body: { password: guess() } });
    expect(next.status).toBe(403); // the 21st failure locks the IP
    const locked = await owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions/1/reveal`, { body: { password: OWNER.password } });
    expect(locked.status).toBe(429);
  });

  it('audits every failure with purpose and factor, never the guess', async () => {
    const rows = await keyring.db.query<{ outcome: string; details: { purpose: string; factor: string }; organization_id: string | null }>(
      "SELECT outcome, details, organization_id FROM audit_events WHERE action = 'auth.reauthentication_failed'",
    );
    const kinds = new Set(rows.map((row) => `${row.details.purpose}/${row.details.factor}`));
    expect([...kinds].sort()).toEqual(['invitation-accept/password', 'password-change/password', 'secret-reveal/password', 'totp-confirm/totp', 'totp-disable/password']);
    expect(rows.every((row) => row.outcome === 'failure')).toBe(true);
    expect(rows.every((row) => Object.keys(row.details).sort().join() === 'factor,purpose')).toBe(true);
    const audit = JSON.stringify(await keyring.db.query('SELECT * FROM audit_events'));
    const logs = keyring.logs.join('\n');
    for (const value of guesses) {
      expect({ value, inAudit: audit.includes(value), inLogs: logs.includes(value) }).toEqual({ value, inAudit: false, inLogs: false });
    }
    // The organization's admins see them in its log.
    const listed = await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?action=auth.reauthentication_failed&limit=200`);
    expect(listed.body.items.length).toBeGreaterThan(0);
  });

  it(`limits invitations to ${INVITATIONS_PER_HOUR.inviter} an hour per inviter and ${INVITATIONS_PER_HOUR.organization} per organization`, async () => {
    const orgC = (await owner.request('POST', '/api/v1/orgs', { body: { name: 'Invites org' } })).body.id;
    const invite = (session: Session, n: string) => session.request('POST', `/api/v1/orgs/${orgC}/members/invitations`, { body: { email: `invitee-${n}@agency.example`, role: 'auditor' } });
    const owners = [owner];
    for (let i = 0; i < 3; i++) owners.push(await addMember(keyring, owner, orgC, `co-owner-${i}@agency.example`, 'owner'));
    // The owner has used 3 of its hour here (the co-owners) and more elsewhere in this file: fill up to the limit.
    let sent = 0;
    let refused;
    while (!refused) {
      const response = await invite(owner, `a${sent++}`);
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(201);
    }
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.body).toMatchObject({ type: 'urn:keyring:problem:invitation-limit', retryAfterSeconds: Number(refused.headers.get('retry-after')) });
    const [{ count: byOwner }] = await keyring.db.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM invitations WHERE invited_by = $1 AND created_at > now() - interval '1 hour'",
      [owner.userId],
    );
    expect(byOwner).toBe(INVITATIONS_PER_HOUR.inviter);
    // Co-owners fill the organization's hour; then even a fresh inviter is refused there.
    const [{ count: inOrg }] = await keyring.db.query<{ count: number }>('SELECT count(*)::int AS count FROM invitations WHERE organization_id = $1', [orgC]);
    let remaining = INVITATIONS_PER_HOUR.organization - inOrg;
    for (const [index, coOwner] of owners.slice(1, 3).entries()) {
      const share = Math.min(remaining, INVITATIONS_PER_HOUR.inviter);
      for (let i = 0; i < share; i++) expect((await invite(coOwner, `c${index}-${i}`)).status).toBe(201);
      remaining -= share;
    }
    expect(remaining).toBe(0);
    const fresh = await invite(owners[3], 'fresh');
    expect(fresh.status).toBe(429);
  });
});
