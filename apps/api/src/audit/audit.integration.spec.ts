import { DataSource } from 'typeorm';
import { fullVerificationOf } from '../../test/audit-fixtures';
import { addMember, completeSetup, OWNER, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { SYSTEM } from '../access/request-context';
import { AuditWriter } from './audit-writer.service';

describe('audit log (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let operator: Session;
  let auditor: Session;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
  });
  afterAll(() => keyring.close());

  const events = (session: Session, query = '') => session.request('GET', `/api/v1/orgs/${orgId}/audit-events${query}`);

  it('records setup, sign-ins, invitations and joins, newest first', async () => {
    const response = await events(auditor, '?limit=100');
    expect(response.status).toBe(200);
    const actions = response.body.items.map((event: { action: string }) => event.action).reverse();
    expect(actions).toEqual([
      'setup.completed',
      'auth.login_succeeded',
      'member.invited',
      'member.joined',
      'auth.login_succeeded',
      'member.invited',
      'member.joined',
      'auth.login_succeeded',
    ]);
    const invited = response.body.items.find((event: { action: string }) => event.action === 'member.invited');
    expect(invited).toMatchObject({
      actor: { type: 'user', id: owner.userId, label: OWNER.email },
      target: { type: 'invitation', id: expect.any(String) },
      outcome: 'success',
      details: { email: expect.stringMatching(/@agency\.example$/), role: expect.any(String), tenantIds: null },
      ip: expect.any(String),
      requestId: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('filters and paginates with a cursor', async () => {
    const page1 = await events(auditor, '?action=member.joined&limit=1');
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0].details.email).toBe('auditor@agency.example');
    const page2 = await events(auditor, `?action=member.joined&limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].details.email).toBe('operator@agency.example');
    expect(page2.body.nextCursor).toBeNull();

    const byActor = await events(auditor, `?actorId=${operator.userId}`);
    expect(byActor.body.items.map((event: { action: string }) => event.action)).toEqual(['auth.login_succeeded', 'member.joined']);
    const none = await events(auditor, '?from=2099-01-01T00:00:00Z');
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('explains bad filters', async () => {
    const response = await events(auditor, '?from=yesterday&limit=0&tenantId=x');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'from', message: 'from must be an ISO 8601 date-time' },
        { field: 'limit', message: 'limit must not be less than 1' },
        { field: 'tenantId', message: 'tenantId must be a tenant id (UUID)' },
      ]),
    );
  });

  it('is closed to operators', async () => {
    const response = await events(operator);
    expect(response.status).toBe(403);
    expect(response.body.detail).toBe('Your role (operator) does not allow this: it needs the audit:read permission.');
  });

  it('exports CSV and NDJSON', async () => {
    const csv = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="audit-${orgId}.csv"`);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,occurredAt,actorType,actorId,actorLabel,action,targetType,targetId,tenantId,ip,userAgent,requestId,outcome,details,prevHash,hash');
    expect(lines[1]).toMatch(/^1,\d{4}-.+,user,.+,owner@agency\.example,setup\.completed,organization,/);

    const ndjson = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/export?format=ndjson&action=member.joined`);
    const exported = ndjson.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(exported.map((event) => event.details.email)).toEqual(['operator@agency.example', 'auditor@agency.example']);

    const bad = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/export?format=xml`);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('format must be csv or ndjson');
  });

  it("answers the contracts' AuditEvent for any event the database holds: a refusal about no object included", async () => {
    const appDb = keyring.app.get(DataSource);
    const context = { actor: SYSTEM, ip: null, userAgent: null, requestId: null };
    await appDb.transaction((manager) =>
      keyring.app.get(AuditWriter).record(manager, context, { organizationId: orgId, action: 'test.refused', outcome: 'denied' }),
    );
    const listed = (await events(auditor, '?action=test.refused')).body.items;
    expect(listed).toEqual([expect.objectContaining({ actor: { type: 'system', id: null, label: 'system' }, target: { type: null, id: null }, outcome: 'denied' })]);
    const csv = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/export?format=csv&action=test.refused`);
    expect(csv.text.split('\r\n')[1]).toMatch(/^\d+,\d{4}-[^,]+Z,system,,system,test\.refused,,,,,,,denied,\{\},/);
    expect((await events(auditor, '/verify')).body).toMatchObject({ valid: true });
  });

  it('filters by outcome, so that refusals and failures can be read on their own', async () => {
    const refused = (await events(auditor, '?outcome=denied')).body.items;
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((event: { outcome: string }) => event.outcome === 'denied')).toBe(true);
    const succeeded = (await events(auditor, '?outcome=success&limit=100')).body.items;
    expect(succeeded.map((event: { action: string }) => event.action)).toContain('setup.completed');
    expect(succeeded.some((event: { outcome: string }) => event.outcome !== 'success')).toBe(false);
    const bad = await events(auditor, '?outcome=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('outcome must be one of success, failure, denied');
  });

  it('keeps sequence and chain intact under 50 concurrent audited actions', async () => {
    const before = (await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`)).body.checkedEvents;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${operator.userId}`, {
          // A different tenant list each time, so that every PATCH is a real change (a no-op is not audited).
          body: { tenantIds: [`6f1c1d7e-3c1a-4f59-9c63-${String(i).padStart(12, '0')}`] },
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    const rows = await keyring.db.query<{ seq: string }>('SELECT seq FROM audit_events WHERE organization_id = $1 ORDER BY seq', [orgId]);
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: before + 50 }, (_, i) => i + 1));
    const verify = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`);
    expect(verify.body).toEqual({ valid: true, checkedEvents: before + 50, fullVerification: null });
  });

  it('rolls the action back when its audit record cannot be written', async () => {
    await keyring.db.query("ALTER TABLE audit_events ADD CONSTRAINT test_refuse_member_updates CHECK (action <> 'member.updated') NOT VALID");
    try {
      const response = await owner.request('PATCH', `/api/v1/orgs/${orgId}/members/${operator.userId}`, { body: { role: 'auditor' } });
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ status: 500, requestId: response.headers.get('x-request-id') });
      expect(response.text).not.toContain('test_refuse_member_updates');
      // The cause is logged, but not the failed query's parameters (they may hold secret material).
      const logged = keyring.logs.find((line) => line.includes(response.headers.get('x-request-id')!) && line.includes('Unhandled error'));
      expect(logged).toContain('test_refuse_member_updates');
      expect(JSON.parse(logged!).err.parameters).toBe('[redacted]');
      const [membership] = await keyring.db.query<{ role: string }>('SELECT role FROM memberships WHERE user_id = $1 AND organization_id = $2', [operator.userId, orgId]);
      expect(membership.role).toBe('operator');
    } finally {
      await keyring.db.query('ALTER TABLE audit_events DROP CONSTRAINT test_refuse_member_updates');
    }
  });

  it('refuses UPDATE and DELETE through the application connection, and its trigger refuses them to the owner too', async () => {
    // The app's role was never granted them (see test/proof/least-privilege.integration.spec.ts) …
    const appDb = keyring.app.get(DataSource);
    await expect(appDb.query("UPDATE audit_events SET action = 'x' WHERE organization_id = $1 AND seq = 1", [orgId])).rejects.toThrow(
      'permission denied for table audit_events',
    );
    await expect(appDb.query('DELETE FROM audit_events WHERE organization_id = $1', [orgId])).rejects.toThrow('permission denied for table audit_events');
    await expect(appDb.query('TRUNCATE audit_events')).rejects.toThrow('permission denied for table audit_events');
    // … and the owner, who has every right, still meets the append-only trigger unless it turns it off.
    await expect(keyring.db.query("UPDATE audit_events SET action = 'x' WHERE organization_id = $1 AND seq = 1", [orgId])).rejects.toThrow(
      'audit_events is append-only: UPDATE is not allowed',
    );
    await expect(keyring.db.query('DELETE FROM audit_events WHERE organization_id = $1', [orgId])).rejects.toThrow(
      'audit_events is append-only: DELETE is not allowed',
    );
    await expect(keyring.db.query('TRUNCATE audit_events')).rejects.toThrow('audit_events is append-only: TRUNCATE is not allowed');
  });

  it('names the first altered event when the trigger is bypassed: the full verification re-checks every MAC', async () => {
    const alter = (sql: string) =>
      keyring.db.query(`BEGIN; SET LOCAL session_replication_role = replica; ${sql}; COMMIT;`);
    await alter(`UPDATE audit_events SET details = '{"email":"mallory@evil.example"}' WHERE organization_id = '${orgId}' AND seq = 3`);
    const full = await fullVerificationOf(auditor, orgId);
    expect(full).toMatchObject({ valid: false, checkedEvents: 2, firstBrokenSeq: 3, reason: 'Event 3 does not match its MAC.' });
  });
});

