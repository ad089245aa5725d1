import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { memberScope } from '../access/scope';
import { revealsByQuery } from '../audit/audit.repository';

const PASSWORD = (role: string) => `${role}-password-harbor-7`;

/**
 * Offboarding: what a leaving member saw — the versions they revealed or pasted, the keys they created that still
 * work — read by user id (also once they are removed), within the reader's tenants; and queueing those widgets for
 * rotation, which a new secret (and only that) answers.
 */
describe('offboarding report and rotation requests (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let owner: Session;
  let leaver: Session;
  let limitedAdmin: Session;
  let orgId: string;
  const ids: Record<string, string> = {};
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const reportOf = async (reader: Session, userId = leaver.userId) => {
    const response = await reader.request('GET', api(`/members/${userId}/offboarding`));
    expect(response.status).toBe(200);
    return response.body;
  };
  const seen = (report: { secretVersions: { widgetName: string; version: number; how: string; times: number; state: string; stillInUse: boolean }[] }) =>
    report.secretVersions.map(({ widgetName, version, how, times, state, stillInUse }) => `${widgetName} v${version} ${how} ×${times} ${state} ${stillInUse ? 'in use' : 'unused'}`).sort();
  const reveal = (who: Session, widget: string, version: number, password: string) =>
    who.request('POST', api(`/widgets/${ids[widget]}/secret-versions/${version}/reveal`), { body: { password } });
  const auditOf = async (action: string) => (await owner.request('GET', api(`/audit-events?action=${action}&limit=200`))).body.items;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    ({ tenantId: ids.north, widgetId: ids.one } = await createWidget(owner, orgId, { tenantName: 'North', widgetName: 'One', secret: 'offboarding-secret-one-1' }));
    ({ widgetId: ids.two } = await createWidget(owner, orgId, { tenantId: ids.north, widgetName: 'Two', secret: 'offboarding-secret-two-1' }));
    ({ widgetId: ids.untouched } = await createWidget(owner, orgId, { tenantId: ids.north, widgetName: 'Untouched', secret: 'offboarding-secret-untouched' }));
    ({ tenantId: ids.south, widgetId: ids.three } = await createWidget(owner, orgId, { tenantName: 'South', widgetName: 'Three', secret: 'offboarding-secret-three-1' }));
    leaver = await addMember(keyring, owner, orgId, 'leaver@agency.example', 'admin');
    limitedAdmin = await addMember(keyring, owner, orgId, 'south-admin@agency.example', 'admin', [ids.south]);

    // The leaver reveals One twice and Three once, rotates Two, and creates two keys of North (one revoked since).
    expect((await reveal(leaver, 'one', 1, PASSWORD('admin'))).status).toBe(200);
    expect((await reveal(leaver, 'one', 1, PASSWORD('admin'))).status).toBe(200);
    expect((await reveal(leaver, 'three', 1, PASSWORD('admin'))).status).toBe(200);
    expect((await reveal(leaver, 'untouched', 1, 'not-the-password')).status).toBe(403); // refused: nothing seen
    expect((await leaver.request('POST', api(`/widgets/${ids.two}/secret-versions`), { body: { secret: 'offboarding-secret-two-2' } })).status).toBe(201);
    const key = async (name: string, tenantId: string) =>
      (await leaver.request('POST', api('/api-keys'), { body: { name, tenantId, scopes: ['user-hash:issue'] } })).body.apiKey;
    ids.liveKey = (await key('North backend', ids.north)).id;
    ids.revokedKey = (await key('Old North backend', ids.north)).id;
    expect((await owner.request('DELETE', api(`/api-keys/${ids.revokedKey}`))).status).toBe(200);
    // Someone else's reveal is not the leaver's.
    expect((await reveal(owner, 'untouched', 1, 'owner-password-violet-42')).status).toBe(200);
  });
  afterAll(() => keyring.close());

  it('lists exactly the versions the member revealed or pasted, with their state, and the keys they created that still work', async () => {
    const report = await reportOf(owner);
    expect(report.user).toEqual({ id: leaver.userId, email: 'leaver@agency.example' });
    expect(report.membership).toEqual({ role: 'admin', tenantIds: null });
    expect(seen(report)).toEqual(['One v1 revealed ×2 active in use', 'Three v1 revealed ×1 active in use', 'Two v2 rotated ×1 active in use']);
    expect(report.secretVersions.find((version: { widgetName: string }) => version.widgetName === 'One')).toMatchObject({
      widgetId: ids.one,
      tenantId: ids.north,
      tenantName: 'North',
      fingerprint: expect.any(String),
      at: expect.any(String),
      widgetArchived: false,
      rotationRequestedAt: null,
    });
    expect(report.apiKeys.map((key: { id: string; tenantName: string }) => [key.id, key.tenantName])).toEqual([[ids.liveKey, 'North']]);
    expect(report.widgetsToQueue).toBe(3);
  });

  it('shows a reader limited to some tenants only the rows of those tenants', async () => {
    const report = await reportOf(limitedAdmin);
    expect(seen(report)).toEqual(['Three v1 revealed ×1 active in use']);
    expect(report.apiKeys).toEqual([]);
    expect(report.widgetsToQueue).toBe(1);
    expect(JSON.stringify(report)).not.toContain(ids.north);
    // A person limited to North and South: the reader learns only of the tenant it shares.
    const both = await addMember(keyring, owner, orgId, 'north-and-south@agency.example', 'operator', [ids.north, ids.south]);
    const theirs = await reportOf(limitedAdmin, both.userId);
    expect(theirs.membership).toEqual({ role: 'operator', tenantIds: [ids.south] });
    expect(JSON.stringify(theirs)).not.toContain(ids.north);
  });

  it('queues, for a reader limited to some tenants, only the widgets of those tenants, and audits each', async () => {
    const queued = await limitedAdmin.request('POST', api(`/members/${leaver.userId}/offboarding/rotation-requests`));
    expect(queued.status).toBe(200);
    expect(queued.body).toEqual({ queued: [{ widgetId: ids.three, widgetName: 'Three', tenantName: 'South' }] });
    expect((await owner.request('GET', api(`/widgets/${ids.one}`))).body.rotationRequestedAt).toBeNull();
  });

  it('answers by user id once the member is removed, and lists them among former members', async () => {
    expect((await owner.request('DELETE', api(`/members/${leaver.userId}`))).status).toBe(204);
    const report = await reportOf(owner);
    expect(report.membership).toBeNull();
    expect(report.user.email).toBe('leaver@agency.example');
    expect(seen(report)).toEqual(['One v1 revealed ×2 active in use', 'Three v1 revealed ×1 active in use', 'Two v2 rotated ×1 active in use']);
    expect(report.widgetsToQueue).toBe(2); // Three is queued already
    const former = await owner.request('GET', api('/members/former'));
    expect(former.body.items).toEqual([{ userId: leaver.userId, email: 'leaver@agency.example', removedAt: expect.any(String) }]);
  });

  it('queues the rest, shows them as "rotation requested" in the list, the dashboard and its counts, and audits it', async () => {
    const queued = await owner.request('POST', api(`/members/${leaver.userId}/offboarding/rotation-requests`));
    expect(queued.body.queued.map((widget: { widgetName: string }) => widget.widgetName).sort()).toEqual(['One', 'Two']);
    // Twice changes nothing, and audits nothing.
    expect((await owner.request('POST', api(`/members/${leaver.userId}/offboarding/rotation-requests`))).body).toEqual({ queued: [] });

    const listed = await owner.request('GET', api('/widgets?status=rotation-requested'));
    expect(listed.body.items.map((widget: { name: string }) => widget.name)).toEqual(['One', 'Three', 'Two']);
    expect(listed.body.total).toBe(3);
    expect(listed.body.items.every((widget: { rotationRequestedAt: string | null }) => widget.rotationRequestedAt !== null)).toBe(true);
    expect((await owner.request('GET', api('/overview'))).body.widgetsRotationRequested).toBe(3);
    const attention = (await owner.request('GET', api('/widgets/needs-attention'))).body.items;
    expect(attention.map((widget: { name: string; reason: string }) => `${widget.name} ${widget.reason}`)).toEqual([
      'One rotation-requested',
      'Three rotation-requested',
      'Two rotation-requested',
    ]);
    expect((await limitedAdmin.request('GET', api('/widgets?status=rotation-requested'))).body.items.map((widget: { name: string }) => widget.name)).toEqual(['Three']);

    const perWidget = await auditOf('widget.rotation_requested');
    expect(perWidget.map((event: { target: { id: string } }) => event.target.id).sort()).toEqual([ids.one, ids.two, ids.three].sort());
    expect(perWidget[0].details).toMatchObject({ reason: 'offboarding', userId: leaver.userId, email: 'leaver@agency.example' });
    const requests = await auditOf('member.offboarding_rotation_requested');
    expect(requests.map((event: { details: { widgetsQueued: number }; target: { id: string } }) => [event.target.id, event.details.widgetsQueued])).toEqual([
      [leaver.userId, 2],
      [leaver.userId, 1],
    ]);
  });

  it('clears the request when a new secret is stored, not on a rollback', async () => {
    const rotated = await owner.request('POST', api(`/widgets/${ids.one}/secret-versions`), { body: { secret: 'offboarding-secret-one-2' } });
    expect(rotated.status).toBe(201);
    expect((await owner.request('GET', api(`/widgets/${ids.one}`))).body.rotationRequestedAt).toBeNull();
    const [event] = await auditOf('secret.rotated');
    expect(event.details).toMatchObject({ version: 2, rotationRequestCleared: true });

    // Rolling Two back to v1 brings back a version too, but not a new one: the request stays.
    expect((await owner.request('POST', api(`/widgets/${ids.two}/secret-versions/1/activate`))).status).toBe(200);
    expect((await owner.request('GET', api(`/widgets/${ids.two}`))).body.rotationRequestedAt).toEqual(expect.any(String));

    const report = await reportOf(owner);
    expect(seen(report)).toEqual(['One v1 revealed ×2 previous in use', 'Three v1 revealed ×1 active in use', 'Two v2 rotated ×1 previous in use']);
    // One is no longer queued but its seen version still verifies: it can be queued again.
    expect(report.widgetsToQueue).toBe(1);
  });

  it('answers 404 for a user id the organization never knew, and for one that is not a user id', async () => {
    for (const userId of ['7d2e8c1a-0000-4000-8000-000000000001', 'not-a-uuid']) {
      const response = await owner.request('GET', api(`/members/${userId}/offboarding`));
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ type: 'urn:keyring:problem:person-not-found', detail: 'No member or former member of this organization has this user id.' });
    }
    const outsider = await owner.request('POST', api('/members/7d2e8c1a-0000-4000-8000-000000000001/offboarding/rotation-requests'));
    expect(outsider.body.type).toBe('urn:keyring:problem:person-not-found');
  });

  it('refuses the report to operators and the rotation requests to auditors, naming the permission', async () => {
    const operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    const auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
    const report = await operator.request('GET', api(`/members/${leaver.userId}/offboarding`));
    expect(report.status).toBe(403);
    expect(report.body.detail).toBe('Your role (operator) does not allow this: it needs the audit:read permission.');
    expect((await auditor.request('GET', api(`/members/${leaver.userId}/offboarding`))).status).toBe(200);
    const queue = await auditor.request('POST', api(`/members/${leaver.userId}/offboarding/rotation-requests`));
    expect(queue.status).toBe(403);
    expect(queue.body.detail).toBe('Your role (auditor) does not allow this: it needs the secrets:request-rotation permission.');
  });

  // Last: it seeds 50,000 events by the leaver (their sign-ins, say) that the report must not walk through.
  it('reads the reveals of a busy person through the (organization, actor, action) index, not their whole history', async () => {
    await keyring.db.query(
      `INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_id, action, outcome, prev_hash, hash)
       SELECT $1, (SELECT max(seq) FROM audit_events WHERE organization_id = $1) + i, now(), 'user', $2, 'auth.login_succeeded', 'success', 'x', 'x'
         FROM generate_series(1, 50000) AS i`,
      [orgId, leaver.userId],
    );
    await keyring.db.query('ANALYZE audit_events');
    const { sql, params } = revealsByQuery(memberScope(orgId, owner.userId, null), leaver.userId);
    const [{ 'QUERY PLAN': [plan] }] = await keyring.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    const scans = flatten(plan.Plan).filter((node) => node['Node Type'].includes('Scan'));
    expect(scans.map((node) => [node['Index Name'], node['Actual Rows']])).toEqual([['audit_events_org_actor_action_idx', 3]]);
    const started = performance.now();
    expect(seen(await reportOf(owner))).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(500);
  }, 60_000);
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows': number;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
