import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { statementsDuring } from '../../test/sql-statements';
import { startTestApp, type TestApp } from '../../test/test-app';

/** Finding things among hundreds of clients: tenant pickers, widget search and filters, totals, one name per tenant. */
describe('search across tenants (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let operator: Session;
  let auditor: Session;
  let limited: Session;
  let cafe: { tenantId: string; widgetId: string };
  let padaria: { tenantId: string; widgetId: string };
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const names = (body: { items: { name: string }[] }) => body.items.map((item) => item.name);

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
    cafe = await createWidget(operator, orgId, { tenantName: 'Café Lumière', widgetName: 'Balcão', secret: 'cafe-secret-value-01' });
    padaria = await createWidget(operator, orgId, { tenantName: 'Padaria Pão Quente', widgetName: 'Checkout chat' });
    await keyring.db.query("UPDATE widgets SET huggy_widget_uuid = '0a1b2c3d-0000-4000-8000-00000000beef' WHERE id = $1", [padaria.widgetId]);
    limited = await addMember(keyring, owner, orgId, 'limited@agency.example', 'operator', [padaria.tenantId]);
  });
  afterAll(() => keyring.close());

  describe('tenant pickers', () => {
    it('find a tenant by any part of its name, whatever the case and accents', async () => {
      for (const q of ['cafe', 'CAFÉ', 'lumiere', 'é lum']) {
        const found = await auditor.request('GET', api(`/tenants?q=${encodeURIComponent(q)}`));
        expect([q, names(found.body)]).toEqual([q, ['Café Lumière']]);
      }
      // Accents in the query fold too: "pao" and "pão" find the same tenant.
      expect(names((await auditor.request('GET', api(`/tenants?q=${encodeURIComponent('PÃO')}`))).body)).toEqual(['Padaria Pão Quente']);
    });

    it('reach the 201st tenant and beyond by typing', async () => {
      await keyring.db.query(
        `INSERT INTO tenants (organization_id, name) SELECT $1, 'Cliente ' || lpad(i::text, 3, '0') FROM generate_series(1, 260) i`,
        [orgId],
      );
      const found = await auditor.request('GET', api('/tenants?q=cliente%20201'));
      expect(names(found.body)).toEqual(['Cliente 201']);
      const tail = await auditor.request('GET', api('/tenants?q=cliente%202&limit=200'));
      expect(names(tail.body)).toHaveLength(61); // Cliente 200 to 260
    });

    it('show a tenant-limited member only its tenants', async () => {
      expect(names((await limited.request('GET', api('/tenants?q=a'))).body)).toEqual(['Padaria Pão Quente']);
    });
  });

  describe('widget search', () => {
    it('matches the widget name, the tenant name and the Huggy widget uuid, and carries the tenant name', async () => {
      const byTenant = await auditor.request('GET', api('/widgets?q=lumiere'));
      expect(byTenant.body).toEqual({
        items: [expect.objectContaining({ id: cafe.widgetId, name: 'Balcão', tenantId: cafe.tenantId, tenantName: 'Café Lumière' })],
        nextCursor: null,
        total: 1,
        totalExact: true,
      });
      expect(names((await auditor.request('GET', api('/widgets?q=balcao'))).body)).toEqual(['Balcão']);
      expect(names((await auditor.request('GET', api('/widgets?q=00BEEF'))).body)).toEqual(['Checkout chat']);
    });

    it('reads a search with few matches straight from its lookups: counted first, no walk through widgets in name order', async () => {
      let body: { items: { name: string }[] } = { items: [] };
      const statements = await statementsDuring(async () => (body = (await auditor.request('GET', api('/widgets?q=balcao'))).body));
      expect(names(body)).toEqual(['Balcão']);
      expect(statements.filter((sql) => sql.includes('first.search_name LIKE'))).toEqual([]);
      // Counted on widget names, then (below the cap) by all three lookups; then the page.
      expect(statements.filter((sql) => sql.includes('search_name LIKE')).length).toBe(3);
    });

    it('refuses a query too short for its index with a message that says so', async () => {
      const short = await auditor.request('GET', api('/widgets?q=ab'));
      expect(short.status).toBe(400);
      expect(short.body).toMatchObject({
        type: 'urn:keyring:problem:validation',
        errors: [{ field: 'q', message: 'q must be at least 3 characters to search widgets' }],
      });
    });

    it('stays inside a tenant-limited member’s tenants, in the items and in the total', async () => {
      const all = await limited.request('GET', api('/widgets'));
      expect(all.body).toMatchObject({ total: 1, totalExact: true });
      expect(names(all.body)).toEqual(['Checkout chat']);
      const other = await limited.request('GET', api('/widgets?q=lumiere'));
      expect(other.body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('a common term (1,000 matches or more), matches sorting late in name order', () => {
    const expected: string[] = [];
    let port: string;

    beforeAll(async () => {
      ({ tenantId: port } = await createWidget(operator, orgId, { tenantName: 'Port Co', widgetName: 'Harbor 0000' }));
      const { tenantId: supplies } = await createWidget(operator, orgId, { tenantName: 'Harbor Supplies', widgetName: 'Crate 00' });
      await keyring.db.query(`INSERT INTO widgets (organization_id, tenant_id, name) SELECT $1, $2, 'Harbor ' || lpad(i::text, 4, '0') FROM generate_series(1, 1099) i`, [orgId, port]);
      await keyring.db.query(`INSERT INTO widgets (organization_id, tenant_id, name) SELECT $1, $2, 'Crate ' || lpad(i::text, 2, '0') FROM generate_series(1, 30) i`, [orgId, supplies]);
      const retired = await operator.request('POST', api('/widgets'), { body: { tenantId: port, name: 'Harbor retired' } });
      await operator.request('POST', api(`/widgets/${retired.body.id}/archive`));
      for (let i = 0; i <= 30; i++) expected.push(`Crate ${String(i).padStart(2, '0')}`);
      for (let i = 0; i <= 1099; i++) expected.push(`Harbor ${String(i).padStart(4, '0')}`);
    });

    it('pages through every match once, in name order, by widget name and by tenant name', async () => {
      const seen: string[] = [];
      let cursor = '';
      do {
        const page = await auditor.request('GET', api(`/widgets?q=HARBOR&limit=200${cursor && `&cursor=${cursor}`}`));
        expect(page.status).toBe(200);
        seen.push(...names(page.body));
        cursor = page.body.nextCursor ?? '';
      } while (cursor);
      expect(seen).toEqual(expected);
    });

    it('says "1,000+" rather than count every match', async () => {
      const page = await auditor.request('GET', api('/widgets?q=harbor&limit=5'));
      expect(page.body).toMatchObject({ total: 1000, totalExact: false });
      expect(names(page.body)).toEqual(expected.slice(0, 5));
      // A rare term keeps its exact count.
      expect((await auditor.request('GET', api('/widgets?q=crate%2007'))).body).toMatchObject({ total: 1, totalExact: true });
    });

    it('finds a full page of matches that sort after thousands of other names', async () => {
      const { tenantId } = await createWidget(operator, orgId, { tenantName: 'Zulu Works', widgetName: 'Yard 0000' });
      await keyring.db.query(`INSERT INTO widgets (organization_id, tenant_id, name) SELECT $1, $2, 'Yard ' || lpad(i::text, 4, '0') FROM generate_series(1, 5999) i`, [orgId, tenantId]);
      await keyring.db.query(`INSERT INTO widgets (organization_id, tenant_id, name) SELECT $1, $2, 'Zz quay ' || lpad(i::text, 2, '0') FROM generate_series(1, 60) i`, [orgId, port]);
      const quays = Array.from({ length: 60 }, (_, i) => `Zz quay ${String(i + 1).padStart(2, '0')}`);
      const first = await auditor.request('GET', api('/widgets?q=quay&limit=50'));
      expect(first.body).toMatchObject({ total: 60, totalExact: true });
      expect(names(first.body)).toEqual(quays.slice(0, 50));
      const rest = await auditor.request('GET', api(`/widgets?q=quay&limit=50&cursor=${first.body.nextCursor}`));
      expect(names(rest.body)).toEqual(quays.slice(50));
      // By the tenant's name: 6,000 widgets of Zulu Works, the page is its first 50 by name.
      const byTenant = await auditor.request('GET', api('/widgets?q=zulu&limit=50'));
      expect(byTenant.body).toMatchObject({ total: 1000, totalExact: false });
      expect(names(byTenant.body)).toEqual(Array.from({ length: 50 }, (_, i) => `Yard ${String(i).padStart(4, '0')}`));
    });

    it('stays inside a tenant-limited member’s tenants', async () => {
      expect((await limited.request('GET', api('/widgets?q=harbor'))).body).toMatchObject({ items: [], total: 0, totalExact: true });
    });
  });

  describe('filters and totals', () => {
    let stale: { tenantId: string; widgetId: string };
    let used: { tenantId: string; widgetId: string };

    beforeAll(async () => {
      stale = await createWidget(operator, orgId, { tenantName: 'Filter Co', widgetName: 'Old secret', secret: 'stale-secret-value-1' });
      used = await createWidget(operator, orgId, { tenantId: stale.tenantId, widgetName: 'In use', secret: 'used-secret-value-01' });
      await createWidget(operator, orgId, { tenantId: stale.tenantId, widgetName: 'No secret yet' });
      const gone = await createWidget(operator, orgId, { tenantId: stale.tenantId, widgetName: 'Retired site' });
      await operator.request('POST', api(`/widgets/${gone.widgetId}/archive`));
      await keyring.db.query("UPDATE secret_versions SET activated_at = now() - interval '91 days' WHERE widget_id = $1", [stale.widgetId]);
      // Usage days old lives only in the daily rollup: minutes are pruned after hours.
      await keyring.db.query(
        `INSERT INTO usage_days (organization_id, widget_id, bucket, issued, verified) VALUES ($1, $2, date_trunc('day', now() - interval '2 days', 'UTC'), 5, 0),
           ($1, $3, date_trunc('day', now() - interval '40 days', 'UTC'), 5, 0)`,
        [orgId, used.widgetId, stale.widgetId],
      );
    });

    const inTenant = async (session: Session, query: string) => {
      const response = await session.request('GET', api(`/widgets?tenantId=${stale.tenantId}${query}`));
      expect(response.status).toBe(200);
      return { names: names(response.body), total: response.body.total };
    };

    it('no secret, stale (older than the policy), unused (no userHash in N days), archived', async () => {
      expect(await inTenant(auditor, '&status=no-secret')).toEqual({ names: ['No secret yet'], total: 1 });
      expect(await inTenant(auditor, '&status=stale')).toEqual({ names: ['Old secret'], total: 1 });
      expect(await inTenant(auditor, '&status=unused')).toEqual({ names: ['No secret yet', 'Old secret'], total: 2 });
      expect(await inTenant(auditor, '&status=unused&unusedDays=60')).toEqual({ names: ['No secret yet'], total: 1 });
      expect(await inTenant(auditor, '&archived=true')).toEqual({ names: ['Retired site'], total: 1 });
      expect(await inTenant(auditor, '')).toEqual({ names: ['In use', 'No secret yet', 'Old secret'], total: 3 });
      void used;
    });

    it('total counts the whole list, not the page', async () => {
      const page = await auditor.request('GET', api(`/widgets?tenantId=${stale.tenantId}&limit=1`));
      expect(page.body).toMatchObject({ total: 3, totalExact: true, items: [expect.objectContaining({ name: 'In use' })] });
      expect(page.body.nextCursor).toEqual(expect.any(String));
    });

    it('refuses an unknown filter with a message naming it', async () => {
      const response = await auditor.request('GET', api('/widgets?status=old&archived=maybe&unusedDays=0'));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'status', message: 'status must be one of no-secret, stale, unused, rotation-requested' },
          { field: 'archived', message: 'archived must be true or false' },
          { field: 'unusedDays', message: 'unusedDays must not be less than 1' },
        ]),
      );
    });
  });

  describe('one widget name per tenant', () => {
    it('refuses a second live widget with the same name in a tenant, whatever its case (409), on create and rename', async () => {
      const second = await operator.request('POST', api('/widgets'), { body: { tenantId: padaria.tenantId, name: 'CHECKOUT CHAT' } });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ type: 'urn:keyring:problem:widget-name-taken', detail: 'This tenant already has a widget named "CHECKOUT CHAT".' });

      const other = await operator.request('POST', api('/widgets'), { body: { tenantId: padaria.tenantId, name: 'Delivery chat' } });
      const renamed = await operator.request('PATCH', api(`/widgets/${other.body.id}`), { body: { name: 'checkout chat' } });
      expect(renamed.status).toBe(409);
      expect(renamed.body.type).toBe('urn:keyring:problem:widget-name-taken');

      // Another tenant may use the name, and an archived widget frees it.
      expect((await operator.request('POST', api('/widgets'), { body: { tenantId: cafe.tenantId, name: 'Checkout chat' } })).status).toBe(201);
      await operator.request('POST', api(`/widgets/${padaria.widgetId}/archive`));
      expect((await operator.request('PATCH', api(`/widgets/${other.body.id}`), { body: { name: 'Checkout chat' } })).status).toBe(200);
    });
  });
});
