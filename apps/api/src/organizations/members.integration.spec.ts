import { addMember, completeSetup, OWNER, signIn, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('organizations and members (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let admin: Session;
  let operator: Session;
  let auditor: Session;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    admin = await addMember(keyring, owner, orgId, 'admin@agency.example', 'admin');
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
  });
  afterAll(() => keyring.close());

  it('lists members, paginated by email', async () => {
    const first = await auditor.request('GET', `/api/v1/orgs/${orgId}/members?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((m: { email: string }) => m.email)).toEqual(['admin@agency.example', 'auditor@agency.example']);
    const second = await auditor.request('GET', `/api/v1/orgs/${orgId}/members?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['operator@agency.example', 'operator'],
      ['owner@agency.example', 'owner'],
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('rejects a forged cursor with a message', async () => {
    const response = await owner.request('GET', `/api/v1/orgs/${orgId}/members?cursor=garbage`);
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe('cursor is not a cursor returned by this list; start again without it.');
  });

  it('lets a user belong to several organizations', async () => {
    const created = await admin.request('POST', '/api/v1/orgs', { body: { name: 'Side Company' } });
    expect(created.status).toBe(201);
    const orgs = await admin.request('GET', '/api/v1/orgs');
    expect(orgs.body.items.map((m: { organizationName: string; role: string }) => [m.organizationName, m.role])).toEqual([
      ['Agency One', 'admin'],
      ['Side Company', 'owner'],
    ]);
  });

  it("answers 404 for another organization's members, and for an id that is no organization", async () => {
    const other = await operator.request('POST', '/api/v1/orgs', { body: { name: 'Operator Co' } });
    for (const id of [other.body.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await owner.request('GET', `/api/v1/orgs/${id}/members`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ type: 'urn:keyring:problem:organization-not-found', detail: 'No such organization.' });
    }
  });

  it('lets only owners manage members', async () => {
    for (const session of [admin, operator, auditor]) {
      const response = await session.request('POST', `/api/v1/orgs/${orgId}/members/invitations`, {
        body: { email: 'someone@agency.example', role: 'operator' },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({
        type: 'urn:keyring:problem:role-forbidden',
        detail: expect.stringMatching(/^Your role \((admin|operator|auditor)\) does not allow this: it needs the members:manage permission\.$/),
      });
    }
  });

  it('validates invitations', async () => {
    const response = await owner.request('POST', `/api/v1/orgs/${orgId}/members/invitations`, {
      body: { email: 'x@agency.example', role: 'superuser', tenantIds: ['nope'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'role', message: 'role must be one of owner, admin, operator, auditor' },
      { field: 'tenantIds', message: 'tenantIds must hold tenant ids (UUIDs)' },
    ]);
    const member = await owner.request('POST', `/api/v1/orgs/${orgId}/members/invitations`, {
      body: { email: 'ADMIN@agency.example', role: 'operator' },
    });
    expect(member.status).toBe(409);
    expect(member.body.detail).toBe('ADMIN@agency.example is already a member of this organization.');
  });

  it('uses an invitation once, and stores only its hash', async () => {
    const invited = await owner.request('POST', `/api/v1/orgs/${orgId}/members/invitations`, {
      body: { email: 'once@agency.example', role: 'auditor' },
    });
    expect(invited.body).toEqual({
      invitation: { id: expect.any(String), email: 'once@agency.example', role: 'auditor', tenantIds: null, expiresAt: expect.any(String) },
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const rows = await keyring.db.query('SELECT * FROM invitations');
    expect(JSON.stringify(rows)).not.toContain(invited.body.token);

    const accept = () => keyring.request('POST', '/api/v1/invitations/accept', { body: { token: invited.body.token, password: 'auditor-password-tide-9' } });
    expect((await accept()).status).toBe(201);
    const again = await accept();
    expect(again.status).toBe(404);
    expect(again.body.detail).toBe('This invitation does not exist, has expired or was already used.');
  });

  it('refuses an expired invitation', async () => {
    const invited = await owner.request('POST', `/api/v1/orgs/${orgId}/members/invitations`, { body: { email: 'late@agency.example', role: 'auditor' } });
    await keyring.db.query("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1", [invited.body.invitation.id]);
    const response = await keyring.request('POST', '/api/v1/invitations/accept', { body: { token: invited.body.token, password: 'late-password-tide-9' } });
    expect(response.status).toBe(404);
  });

  it('changes a role and limits a member to some tenants', async () => {
    const tenantIds = ['6f1c1d7e-3c1a-4f59-9c63-1f8e0d3b2a10'];
    const response = await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${operator.userId}`, { body: { tenantIds } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: operator.userId, role: 'operator', tenantIds });
    const lifted = await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${operator.userId}`, { body: { tenantIds: null } });
    expect(lifted.body.tenantIds).toBeNull();
  });

  it('never removes or demotes the last owner', async () => {
    const demote = await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${owner.userId}`, { body: { role: 'admin' } });
    expect(demote.status).toBe(409);
    expect(demote.body).toMatchObject({
      type: 'urn:keyring:problem:last-owner',
      detail: 'This is the last owner: make another member owner before changing this role.',
    });
    const remove = await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/${owner.userId}`);
    expect(remove.status).toBe(409);
    expect(remove.body.detail).toBe('This is the last owner: make another member owner before removing this one.');

    expect((await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${admin.userId}`, { body: { role: 'owner' } })).status).toBe(200);
    expect((await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${owner.userId}`, { body: { role: 'admin' } })).status).toBe(200);
    // Restore: the new owner makes the first one owner again.
    const newOwner = await signIn(keyring, 'admin@agency.example', 'admin-password-harbor-7');
    expect((await newOwner.request('PATCH', `/api/v1/orgs/${orgId}/members/${owner.userId}`, { body: { role: 'owner' } })).status).toBe(200);
  });

  it('removes a member, who then cannot reach the organization', async () => {
    const leaving = await addMember(keyring, owner, orgId, 'leaving@agency.example', 'operator');
    const response = await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/${leaving.userId}`);
    expect(response.status).toBe(204);
    expect((await leaving.request('GET', `/api/v1/orgs/${orgId}/members`)).status).toBe(404);
    const unknown = await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/${leaving.userId}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('No such member in this organization.');
  });

  it('signs in as a member with the password chosen at acceptance', async () => {
    expect((await signIn(keyring, OWNER.email, OWNER.password)).userId).toBe(owner.userId);
  });
});
