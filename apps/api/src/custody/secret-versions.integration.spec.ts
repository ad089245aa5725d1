import { signUserHash, verifyUserHash } from '@keyring/signing';
import { createWidget } from '../../test/custody-fixtures';
import { dumpAllRows } from '../../test/database-dump';
import { addMember, completeSetup, OWNER, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

/** Every plaintext secret this file stores: none may show up in the database dump, the logs or the audit log. */
const SEEDED: string[] = [];
const seed = (secret: string) => (SEEDED.push(secret), secret);

describe('secret versions (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let admin: Session;
  let operator: Session;
  let auditor: Session;
  let widgetId: string;
  let tenantId: string;
  const versions = (id = widgetId) => `/api/v1/orgs/${orgId}/widgets/${id}/secret-versions`;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    admin = await addMember(keyring, owner, orgId, 'admin@agency.example', 'admin');
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
    ({ tenantId, widgetId } = await createWidget(operator, orgId, { secret: seed('first-secret-0001') }));
  });
  afterAll(() => keyring.close());

  describe('rotation', () => {
    it('refuses white space at either end with a message that says so, and keeps the active version', async () => {
      for (const secret of ['pasted-secret-0002\n', ' pasted-secret-0002']) {
        const response = await operator.request('POST', versions(), { body: { secret } });
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([
          { field: 'secret', message: 'secret starts or ends with white space (a pasted newline or space?); remove it, Keyring never trims a secret' },
        ]);
      }
      const short = await operator.request('POST', versions(), { body: { secret: 'short' } });
      expect(short.body.errors).toEqual([{ field: 'secret', message: 'secret must have 8 to 512 characters' }]);
      const list = await auditor.request('GET', versions());
      expect(list.body.items.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([[1, 'active']]);
    });

    it('makes the new version active, the old one previous, and retires the one before', async () => {
      const second = await operator.request('POST', versions(), { body: { secret: seed('second-secret-0002'), expectedActiveVersion: 1 } });
      expect(second.status).toBe(201);
      expect(second.body).toEqual({
        version: 2,
        state: 'active',
        fingerprint: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/),
        createdAt: expect.any(String),
        createdBy: { id: operator.userId, email: 'operator@agency.example' },
        activatedAt: expect.any(String),
        retiredAt: null,
        destroyedAt: null,
      });
      await operator.request('POST', versions(), { body: { secret: seed('third-secret-00003') } });
      const list = await auditor.request('GET', versions());
      expect(list.body.items.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([
        [3, 'active'],
        [2, 'previous'],
        [1, 'retired'],
      ]);
      expect(list.text).not.toMatch(/secret-000/);
    });

    it('refuses a rotation based on a stale view', async () => {
      const response = await operator.request('POST', versions(), { body: { secret: 'stale-secret-00004', expectedActiveVersion: 2 } });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        type: 'urn:keyring:problem:stale-active-version',
        detail: 'The active version is now 3, not 2: someone rotated meanwhile. Reload and check before rotating again.',
        activeVersion: 3,
      });
    });
  });

  describe('rollback and destroy', () => {
    it('re-activates only the previous version', async () => {
      const retired = await operator.request('POST', `${versions()}/1/activate`);
      expect(retired.status).toBe(409);
      expect(retired.body.detail).toBe('Only the previous version can be re-activated; version 1 is retired.');
      const rollback = await operator.request('POST', `${versions()}/2/activate`);
      expect(rollback.status).toBe(200);
      expect(rollback.body).toMatchObject({ version: 2, state: 'active' });
      const list = await auditor.request('GET', versions());
      expect(list.body.items.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([
        [3, 'previous'],
        [2, 'active'],
        [1, 'retired'],
      ]);
      const hash = await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/test-user-hash`, { body: { userIdentifier: 'u1' } });
      expect(hash.body.keyVersion).toBe(2);
      expect(hash.body.userHash).toBe(await signUserHash('second-secret-0002', 'u1'));
    });

    it('destroys a non-active version: ciphertext erased, fingerprint kept', async () => {
      const active = await admin.request('DELETE', `${versions()}/2`);
      expect(active.status).toBe(409);
      expect(active.body.detail).toBe('The active version cannot be destroyed: rotate to a new secret first.');
      const before = (await auditor.request('GET', versions())).body.items.find((v: { version: number }) => v.version === 1);
      const destroyed = await admin.request('DELETE', `${versions()}/1`);
      expect(destroyed.status).toBe(200);
      expect(destroyed.body).toMatchObject({ version: 1, state: 'destroyed', fingerprint: before.fingerprint, destroyedAt: expect.any(String) });
      const [row] = await keyring.db.query<{ ciphertext: string | null }>('SELECT ciphertext FROM secret_versions WHERE widget_id = $1 AND version = 1', [widgetId]);
      expect(row.ciphertext).toBeNull();
      expect((await admin.request('DELETE', `${versions()}/1`)).body.detail).toBe('Version 1 is already destroyed.');
      expect((await admin.request('DELETE', `${versions()}/99`)).status).toBe(404);
      // Found by the fuzz suite: a number beyond PostgreSQL's integer was a 500.
      const overflow = await admin.request('DELETE', `${versions()}/99999999999999999999`);
      expect(overflow.status).toBe(404);
      expect(overflow.body.detail).toBe('No such secret version for this widget.');
      expect((await operator.request('DELETE', `${versions()}/3`)).status).toBe(403);
    });
  });

  describe('reveal', () => {
    it('shows the secret to an admin who gives their password again, and audits it with the reason', async () => {
      const response = await admin.request('POST', `${versions()}/3/reveal`, {
        body: { password: 'admin-password-harbor-7', reason: 'moving the site to a new host' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body).toEqual({ version: 3, fingerprint: expect.any(String), secret: 'third-secret-00003' });
      const events = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events?action=secret.revealed`);
      expect(events.body.items[0]).toMatchObject({
        actor: { id: admin.userId },
        target: { type: 'widget', id: widgetId },
        tenantId,
        details: { version: 3, fingerprint: response.body.fingerprint, reason: 'moving the site to a new host' },
      });
    });

    it('refuses a wrong password, and a destroyed version', async () => {
      const wrong = await owner.request('POST', `${versions()}/3/reveal`, { body: { password: 'not-the-password' } });
      expect(wrong.status).toBe(403);
      expect(wrong.body).toMatchObject({ type: 'urn:keyring:problem:wrong-password', detail: 'The password is not correct; the secret was not revealed.' });
      expect(wrong.text).not.toContain('third-secret');
      const destroyed = await owner.request('POST', `${versions()}/1/reveal`, { body: { password: OWNER.password } });
      expect(destroyed.status).toBe(409);
      expect(destroyed.body.detail).toBe('Version 1 was destroyed; its secret is gone.');
    });

    it('is refused to operators and auditors by role', async () => {
      for (const [session, role] of [[operator, 'operator'], [auditor, 'auditor']] as const) {
        const response = await session.request('POST', `${versions()}/3/reveal`, { body: { password: `${role}-password-harbor-7` } });
        expect(response.status).toBe(403);
        expect(response.body.detail).toBe(`Your role (${role}) does not allow this: it needs the secrets:reveal permission.`);
      }
    });
  });

  describe('test user-hash', () => {
    it('signs with the active secret exactly as libs/signing does, with the snippets filled in', async () => {
      const userIdentifier = 'josé.da.silva@empresa.com.br';
      const response = await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/test-user-hash`, { body: { userIdentifier } });
      expect(response.status).toBe(200);
      expect(response.body.userHash).toBe(await signUserHash('second-secret-0002', userIdentifier));
      expect(response.body.snippets.huggyData).toContain(JSON.stringify(response.body.userHash));
      expect(response.body.snippets.huggyLogout).toContain('defaultWidget: "7c1b0f7e-0000-4000-8000-000000000001"');
    });

    it('follows the widget token policy', async () => {
      await operator.request('PATCH', `/api/v1/orgs/${orgId}/widgets/${widgetId}`, { body: { tokenPolicy: { claims: 'jti+iat+exp', ttlSeconds: 600 } } });
      const response = await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/test-user-hash`, { body: { userIdentifier: 'u2' } });
      const verified = await verifyUserHash('second-secret-0002', response.body.userHash);
      expect(verified.userIdentifier).toBe('u2');
      expect(verified.expiresAt!.getTime() - verified.issuedAt!.getTime()).toBe(600_000);
    });

    it('validates the identifier and needs a secret', async () => {
      for (const [userIdentifier, message] of [
        ['   ', 'userIdentifier must not be only white space'],
        ['a\u0007b', 'userIdentifier must not contain control characters'],
        ['x'.repeat(513), 'userIdentifier must have 1 to 512 characters'],
        [42, 'userIdentifier must be a string'],
      ] as const) {
        const response = await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/test-user-hash`, { body: { userIdentifier } });
        expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 400, errors: [{ field: 'userIdentifier', message }] });
      }
      const bare = await createWidget(operator, orgId, { tenantId });
      const none = await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${bare.widgetId}/test-user-hash`, { body: { userIdentifier: 'u' } });
      expect(none.status).toBe(409);
      expect(none.body.detail).toBe('This widget has no secret yet: paste the one from the Huggy panel first.');
    });
  });

  it('serializes 50 parallel rotations: one active, versions with no gap, 50 audit events, a chain that verifies', async () => {
    const { widgetId: busy } = await createWidget(operator, orgId, { tenantId, widgetName: 'Busy', secret: seed('busy-secret-start') });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => operator.request('POST', versions(busy), { body: { secret: seed(`busy-secret-${String(i).padStart(4, '0')}`) } })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    const rows = await keyring.db.query<{ version: number; state: string }>('SELECT version, state FROM secret_versions WHERE widget_id = $1 ORDER BY version', [busy]);
    expect(rows.map((row) => row.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(rows.filter((row) => row.state === 'active')).toHaveLength(1);
    expect(rows.filter((row) => row.state === 'previous')).toHaveLength(1);
    const events = await keyring.db.query('SELECT 1 FROM audit_events WHERE action = $1 AND target_id = $2', ['secret.rotated', busy]);
    expect(events).toHaveLength(50);
    expect((await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body.valid).toBe(true);
  });

  it('fails cleanly on a ciphertext moved to another row or with a flipped byte', async () => {
    const a = await createWidget(operator, orgId, { tenantId, widgetName: 'A', secret: seed('widget-a-secret-01') });
    const b = await createWidget(operator, orgId, { tenantId, widgetName: 'B', secret: seed('widget-b-secret-01') });
    const c = await createWidget(operator, orgId, { tenantId, widgetName: 'C', secret: seed('widget-c-secret-01') });
    await keyring.db.query(
      `UPDATE secret_versions SET ciphertext = (SELECT ciphertext FROM secret_versions WHERE widget_id = $1 AND version = 1)
        WHERE widget_id = $2 AND version = 1`,
      [a.widgetId, b.widgetId],
    );
    const [{ ciphertext }] = await keyring.db.query<{ ciphertext: string }>('SELECT ciphertext FROM secret_versions WHERE widget_id = $1', [c.widgetId]);
    const parts = ciphertext.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 0x01; // one flipped bit of the encrypted secret
    parts[3] = body.toString('base64url');
    await keyring.db.query('UPDATE secret_versions SET ciphertext = $2 WHERE widget_id = $1', [c.widgetId, parts.join('.')]);
    for (const broken of [b.widgetId, c.widgetId]) {
      const response = await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${broken}/test-user-hash`, { body: { userIdentifier: 'u' } });
      expect(response.status).toBe(500);
      const requestId = response.headers.get('x-request-id');
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: `An unexpected error occurred. Quote request id ${requestId} when reporting it.`,
        instance: `/api/v1/orgs/${orgId}/widgets/${broken}/test-user-hash`,
        requestId,
      });
      const logged = keyring.logs.filter((line) => line.includes(requestId!) && line.includes('EnvelopeError'));
      expect(logged.length).toBeGreaterThanOrEqual(1);
    }
    const healthy = await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${a.widgetId}/test-user-hash`, { body: { userIdentifier: 'u' } });
    expect(healthy.status).toBe(200);
    expect(healthy.body.userHash).toBe(await signUserHash('widget-a-secret-01', 'u'));
  });

  it('keeps every plaintext secret out of the database dump, the logs and the audit log', async () => {
    const dump = await dumpAllRows(keyring.db);
    expect(dump).toContain('secret_versions');
    const logs = keyring.logs.join('\n');
    const revealedOnPurpose = 'third-secret-00003';
    for (const secret of SEEDED) {
      expect({ secret, inDump: dump.includes(secret), inLogs: logs.includes(secret) }).toEqual({ secret, inDump: false, inLogs: false });
    }
    expect(SEEDED).toContain(revealedOnPurpose);
  });
});
