import { addMember, completeSetup, OWNER, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('pending invitations: list, new link, revoke, and what a link is for (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let admin: Session;
  let otherOwner: Session;

  const invite = (email: string, by = owner, org = orgId) =>
    by.request('POST', `/api/v1/orgs/${org}/members/invitations`, { body: { email, role: 'auditor' } }).then((response) => response.body);
  const preview = (token: string) => keyring.request('POST', '/api/v1/invitations/preview', { body: { token } });

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    admin = await addMember(keyring, owner, orgId, 'admin@agency.example', 'admin');
    const side = await admin.request('POST', '/api/v1/orgs', { body: { name: 'Side Company' } });
    otherOwner = admin;
    await invite('elsewhere@example.com', otherOwner, side.body.id);
  });
  afterAll(() => keyring.close());

  it("tells the link's holder the organization, role, inviter and expiry, and nothing for a wrong token", async () => {
    const sent = await invite('new@example.com');
    const shown = await preview(sent.token);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ email: 'new@example.com', organizationName: expect.any(String), role: 'auditor', invitedBy: OWNER.email, expiresAt: sent.invitation.expiresAt });
    const wrong = await preview('not-a-token');
    expect(wrong.status).toBe(404);
    expect(wrong.body).toMatchObject({ type: 'urn:keyring:problem:invitation-invalid', detail: 'This invitation does not exist, has expired or was already used.' });
    const blank = await keyring.request('POST', '/api/v1/invitations/preview', { body: {} });
    expect(blank.status).toBe(400);
    expect(blank.body.detail).toMatch(/token/);
  });

  it("lists the organization's pending invitations only, with who sent them, and never a token", async () => {
    const list = await owner.request('GET', `/api/v1/orgs/${orgId}/members/invitations`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { email: string }) => i.email)).toEqual(['new@example.com']);
    expect(list.body.items[0]).toMatchObject({ role: 'auditor', invitedBy: OWNER.email, tenantIds: null });
    expect(JSON.stringify(list.body)).not.toMatch(/token/i);
    const asAdmin = await admin.request('GET', `/api/v1/orgs/${orgId}/members/invitations`);
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.detail).toBe('Your role (admin) does not allow this: it needs the members:manage permission.');
  });

  it('a new link replaces the old one, and is audited', async () => {
    const sent = await invite('resend@example.com');
    const resent = await owner.request('POST', `/api/v1/orgs/${orgId}/members/invitations/${sent.invitation.id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.invitation).toMatchObject({ id: sent.invitation.id, email: 'resend@example.com', role: 'auditor' });
    expect(resent.body.token).not.toBe(sent.token);
    expect((await preview(sent.token)).status).toBe(404);
    expect((await preview(resent.body.token)).status).toBe(200);
    const [event] = await keyring.db.query("SELECT details FROM audit_events WHERE action = 'member.invitation_resent' ORDER BY seq DESC LIMIT 1");
    expect(event.details).toEqual({ email: 'resend@example.com', role: 'auditor' });
    expect(JSON.stringify(event)).not.toContain(resent.body.token);
  });

  it('a revoked invitation cannot be accepted, and is audited', async () => {
    const sent = await invite('revoke@example.com');
    const revoked = await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/invitations/${sent.invitation.id}`);
    expect(revoked.status).toBe(204);
    const accept = await keyring.request('POST', '/api/v1/invitations/accept', { body: { token: sent.token, password: 'a-long-enough-password-1' } });
    expect(accept.status).toBe(404);
    const again = await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/invitations/${sent.invitation.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ type: 'urn:keyring:problem:invitation-not-found', detail: 'No pending invitation with this id in this organization.' });
    const [event] = await keyring.db.query("SELECT details FROM audit_events WHERE action = 'member.invitation_revoked' ORDER BY seq DESC LIMIT 1");
    expect(event.details).toEqual({ email: 'revoke@example.com', role: 'auditor' });
  });

  it('an admin who owns another organization may not list, resend or revoke them here, and from there the id is not found', async () => {
    const sent = await invite('target@example.com');
    const paths = [
      ['POST', `/api/v1/orgs/${orgId}/members/invitations/${sent.invitation.id}/resend`],
      ['DELETE', `/api/v1/orgs/${orgId}/members/invitations/${sent.invitation.id}`],
      ['GET', `/api/v1/orgs/${orgId}/members/invitations`],
    ] as const;
    for (const [method, path] of paths) expect((await otherOwner.request(method, path)).status).toBe(403);
    // The other organization's owner, on their own organization, with this organization's invitation id.
    const [{ organization_id: sideOrg }] = await keyring.db.query("SELECT organization_id FROM invitations WHERE email = 'elsewhere@example.com'");
    const crossed = await otherOwner.request('DELETE', `/api/v1/orgs/${sideOrg}/members/invitations/${sent.invitation.id}`);
    expect(crossed.status).toBe(404);
    expect((await preview(sent.token)).status).toBe(200);
    const bad = await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/invitations/not-a-uuid`);
    expect(bad.status).toBe(404);
    expect(bad.body.detail).toBe('No pending invitation with this id in this organization.');
  });
});
