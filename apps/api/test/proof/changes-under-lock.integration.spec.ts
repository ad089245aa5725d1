import { createWidget } from '../custody-fixtures';
import { addMember, completeSetup, type Session } from '../identity-fixtures';
import { startTestApp, type TestApp } from '../test-app';

interface UpdatedEvent {
  seq: number;
  details: { from: Record<string, unknown>; to: Record<string, unknown> };
}

/**
 * Read-modify-write under a row lock (widgets, tenants, members, settings): no lost change, and an audit trail that
 * tells the truth (only real changes, with their true before and after).
 */
describe('changes under a lock (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let owner: Session;
  let orgId: string;
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const updates = async (widgetId: string): Promise<UpdatedEvent[]> =>
    (await owner.request('GET', api(`/audit-events?action=widget.updated&targetId=${widgetId}&limit=100`))).body.items.reverse();

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
  });
  afterAll(() => keyring.close());

  it('lands 20 concurrent PATCHes, each audited once, with before and after values that chain', async () => {
    const { widgetId } = await createWidget(owner, orgId, { widgetName: 'Name start' });
    const names = Array.from({ length: 20 }, (_, i) => `Name ${i}`);
    const responses = await Promise.all(names.map((name) => owner.request('PATCH', api(`/widgets/${widgetId}`), { body: { name } })));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));

    const events = await updates(widgetId);
    expect(events).toHaveLength(20);
    // Each change starts from the one before it: nothing lost, no stale "from".
    expect(events[0].details.from).toEqual({ name: 'Name start' });
    for (let i = 1; i < events.length; i += 1) expect(events[i].details.from).toEqual(events[i - 1].details.to);
    expect(events.map((event) => event.details.to['name']).sort()).toEqual([...names].sort());
    const final = await owner.request('GET', api(`/widgets/${widgetId}`));
    expect(final.body.name).toBe(events[19].details.to['name']);
  });

  it('clears the Huggy ids with null, audits only the fields that changed, and nothing for a PATCH that changes nothing', async () => {
    const { widgetId } = await createWidget(owner, orgId, { widgetName: 'Clearable' });
    const cleared = await owner.request('PATCH', api(`/widgets/${widgetId}`), { body: { huggyWidgetUuid: null, huggyCompanyId: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ name: 'Clearable', huggyWidgetUuid: null, huggyCompanyId: null });
    const same = await owner.request('PATCH', api(`/widgets/${widgetId}`), { body: { name: 'Clearable', huggyCompanyId: null } });
    expect(same.status).toBe(200);
    expect(same.body.updatedAt).toBe(cleared.body.updatedAt);

    const events = await updates(widgetId);
    expect(events.map((event) => event.details)).toEqual([
      {
        from: { huggyWidgetUuid: '7c1b0f7e-0000-4000-8000-000000000001', huggyCompanyId: '4242' },
        to: { huggyWidgetUuid: null, huggyCompanyId: null },
      },
    ]);
  });

  it('renames a tenant under its lock, auditing only a real change', async () => {
    const { tenantId } = await createWidget(owner, orgId, { tenantName: 'Client one' });
    const names = Array.from({ length: 10 }, (_, i) => `Client one ${i}`);
    const responses = await Promise.all(names.map((name) => owner.request('PATCH', api(`/tenants/${tenantId}`), { body: { name } })));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    await owner.request('PATCH', api(`/tenants/${tenantId}`), { body: { name: (await owner.request('GET', api(`/tenants/${tenantId}`))).body.name } });
    const events: UpdatedEvent[] = (await owner.request('GET', api(`/audit-events?action=tenant.updated&targetId=${tenantId}`))).body.items.reverse();
    expect(events).toHaveLength(10);
    expect(events[0].details.from).toEqual({ name: 'Client one' });
    for (let i = 1; i < events.length; i += 1) expect(events[i].details.from).toEqual(events[i - 1].details.to);
  });

  it('audits a member or settings change only when something changes', async () => {
    const member = await addMember(keyring, owner, orgId, 'steady@agency.example', 'operator');
    const count = async (action: string) => (await owner.request('GET', api(`/audit-events?action=${action}`))).body.items.length;
    const membersBefore = await count('member.updated');
    for (let i = 0; i < 3; i += 1) {
      expect((await owner.request('PATCH', api(`/members/${member.userId}`), { body: { role: 'operator', tenantIds: null } })).status).toBe(200);
    }
    expect((await owner.request('PATCH', api(`/members/${member.userId}`), { body: { role: 'auditor' } })).body.role).toBe('auditor');
    expect(await count('member.updated')).toBe(membersBefore + 1);

    const settingsBefore = await count('settings.updated');
    for (const days of [120, 120, 120]) {
      expect((await owner.request('PATCH', api('/settings'), { body: { rotationMaxAgeDays: days } })).body).toEqual({ rotationMaxAgeDays: 120 });
    }
    expect(await count('settings.updated')).toBe(settingsBefore + 1);
  });
});
