import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('tenants and widgets (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let operator: Session;
  let auditor: Session;
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
  });
  afterAll(() => keyring.close());

  describe('tenants', () => {
    it('creates, finds by part of the name, pages and renames', async () => {
      for (const name of ['Padaria Pão Quente', 'Farmácia Central', 'Padaria do Bairro', '100% Café_Bar']) {
        const response = await operator.request('POST', api('/tenants'), { body: { name } });
        expect(response.status).toBe(201);
        expect(response.body).toEqual({ id: expect.any(String), name, widgetCount: 0, createdAt: expect.any(String), updatedAt: expect.any(String), archivedAt: null });
      }
      const search = await auditor.request('GET', api('/tenants?q=PADARIA'));
      expect(search.body.items.map((t: { name: string }) => t.name)).toEqual(['Padaria do Bairro', 'Padaria Pão Quente']);
      const literal = await auditor.request('GET', api('/tenants?q=%25%20Caf'));
      expect(literal.body.items.map((t: { name: string }) => t.name)).toEqual(['100% Café_Bar']);

      const page1 = await auditor.request('GET', api('/tenants?limit=3'));
      const page2 = await auditor.request('GET', api(`/tenants?limit=3&cursor=${page1.body.nextCursor}`));
      expect([...page1.body.items, ...page2.body.items].map((t: { name: string }) => t.name)).toEqual([
        '100% Café_Bar', 'Farmácia Central', 'Padaria do Bairro', 'Padaria Pão Quente',
      ]);
      expect(page2.body.nextCursor).toBeNull();

      const renamed = await operator.request('PATCH', api(`/tenants/${page1.body.items[1].id}`), { body: { name: 'Farmácia Norte' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Farmácia Norte');
    });

    it('refuses a duplicate name, whatever its case, and blank names', async () => {
      const duplicate = await operator.request('POST', api('/tenants'), { body: { name: 'padaria do bairro' } });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ type: 'urn:keyring:problem:tenant-name-taken', detail: 'A tenant named "padaria do bairro" already exists.' });
      const blank = await operator.request('POST', api('/tenants'), { body: { name: '   ' } });
      expect(blank.status).toBe(400);
      expect(blank.body.errors).toEqual([{ field: 'name', message: 'name must not be blank' }]);
    });

    it('archives: gone from the list, no new widgets', async () => {
      const tenant = await operator.request('POST', api('/tenants'), { body: { name: 'Closing Down' } });
      const archived = await operator.request('POST', api(`/tenants/${tenant.body.id}/archive`));
      expect(archived.status).toBe(200);
      expect(archived.body.archivedAt).toEqual(expect.any(String));
      const list = await auditor.request('GET', api('/tenants?q=closing'));
      expect(list.body.items).toEqual([]);
      const widget = await operator.request('POST', api('/widgets'), { body: { tenantId: tenant.body.id, name: 'Late' } });
      expect(widget.status).toBe(409);
      expect(widget.body.detail).toBe('This tenant is archived; it cannot be given new widgets. Unarchive it first.');
    });
  });

  describe('widgets', () => {
    it('creates a widget with its first secret and default token policy; no plaintext anywhere in the answer', async () => {
      const tenant = await operator.request('POST', api('/tenants'), { body: { name: 'Loja Azul' } });
      const response = await operator.request('POST', api('/widgets'), {
        body: { tenantId: tenant.body.id, name: 'Loja Azul site', huggyWidgetUuid: '7c1b0f7e-0000-4000-8000-000000000001', huggyCompanyId: '4242', secret: 'loja-azul-secret-0001' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        tenantId: tenant.body.id,
        tenantName: 'Loja Azul',
        rotationRequestedAt: null,
        name: 'Loja Azul site',
        huggyWidgetUuid: '7c1b0f7e-0000-4000-8000-000000000001',
        huggyCompanyId: '4242',
        tokenPolicy: { claims: 'jti', ttlSeconds: null },
        activeSecret: { version: 1, fingerprint: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/), activatedAt: expect.any(String) },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        archivedAt: null,
      });
      expect(response.text).not.toContain('loja-azul-secret-0001');
    });

    it('validates the token policy and the Huggy ids', async () => {
      const tenant = await operator.request('POST', api('/tenants'), { body: { name: 'Policy Co' } });
      const response = await operator.request('POST', api('/widgets'), {
        body: { tenantId: tenant.body.id, name: 'x', huggyWidgetUuid: 'abc', huggyCompanyId: 'acme', tokenPolicy: { claims: 'jti+iat+exp' } },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'huggyWidgetUuid', message: 'huggyWidgetUuid must be the widget UUID from the Huggy panel' },
        { field: 'huggyCompanyId', message: 'huggyCompanyId must be the numeric company id from the Huggy panel' },
        { field: 'tokenPolicy.ttlSeconds', message: 'ttlSeconds must be a whole number of seconds (required with jti+iat+exp)' },
      ]);
      const ok = await operator.request('POST', api('/widgets'), {
        body: { tenantId: tenant.body.id, name: 'Expiring', tokenPolicy: { claims: 'jti+iat+exp', ttlSeconds: 300 } },
      });
      expect(ok.body.tokenPolicy).toEqual({ claims: 'jti+iat+exp', ttlSeconds: 300 });
      expect(ok.body.activeSecret).toBeNull();
    });

    it('searches, filters by tenant, pages, updates and archives', async () => {
      const { tenantId, widgetId } = await createWidget(operator, orgId, { tenantName: 'Search Co', widgetName: 'Checkout chat' });
      await createWidget(operator, orgId, { tenantId, widgetName: 'Support chat' });
      const byTenant = await auditor.request('GET', api(`/widgets?tenantId=${tenantId}&limit=1`));
      expect(byTenant.body.items.map((w: { name: string }) => w.name)).toEqual(['Checkout chat']);
      const next = await auditor.request('GET', api(`/widgets?tenantId=${tenantId}&limit=1&cursor=${byTenant.body.nextCursor}`));
      expect(next.body.items.map((w: { name: string }) => w.name)).toEqual(['Support chat']);
      const found = await auditor.request('GET', api('/widgets?q=CHECKOUT'));
      expect(found.body.items.map((w: { id: string }) => w.id)).toEqual([widgetId]);

      const updated = await operator.request('PATCH', api(`/widgets/${widgetId}`), { body: { name: 'Checkout', tokenPolicy: { claims: 'jti+iat' } } });
      expect(updated.body).toMatchObject({ name: 'Checkout', tokenPolicy: { claims: 'jti+iat', ttlSeconds: null } });
      const archived = await operator.request('POST', api(`/widgets/${widgetId}/archive`));
      expect(archived.body.archivedAt).toEqual(expect.any(String));
      expect((await auditor.request('GET', api('/widgets?q=checkout'))).body.items).toEqual([]);
    });

    it('lists widgets that need attention: no secret, or older than the rotation policy', async () => {
      const fresh = await createWidget(operator, orgId, { tenantName: 'Policy Tenant', widgetName: 'Fresh', secret: 'fresh-secret-value-1' });
      const old = await createWidget(operator, orgId, { tenantId: fresh.tenantId, widgetName: 'Old', secret: 'old-secret-value-12' });
      const none = await createWidget(operator, orgId, { tenantId: fresh.tenantId, widgetName: 'None' });
      await keyring.db.query("UPDATE secret_versions SET activated_at = now() - interval '91 days' WHERE widget_id = $1", [old.widgetId]);
      const attention = async () =>
        (await auditor.request('GET', api('/widgets/needs-attention?limit=200'))).body.items
          .filter((w: { tenantId: string }) => w.tenantId === fresh.tenantId)
          .map((w: { name: string; reason: string }) => [w.name, w.reason]);
      expect(await attention()).toEqual([['None', 'no-secret'], ['Old', 'overdue']]);

      const settings = await owner.request('PATCH', api('/settings'), { body: { rotationMaxAgeDays: 120 } });
      expect(settings.body).toEqual({ rotationMaxAgeDays: 120 });
      expect(await attention()).toEqual([['None', 'no-secret']]);
      expect((await operator.request('PATCH', api('/settings'), { body: { rotationMaxAgeDays: 1 } })).status).toBe(403);
      expect((await owner.request('PATCH', api('/settings'), { body: { rotationMaxAgeDays: 0 } })).body.errors).toEqual([
        { field: 'rotationMaxAgeDays', message: 'rotationMaxAgeDays must not be less than 1' },
      ]);
      void none;
    });
    // Last: its thousands of widgets without a secret would crowd the lists above.
    it('finds a search match wherever it sorts, among thousands of names', async () => {
      const tenant = await operator.request('POST', api('/tenants'), { body: { name: 'Big Tenant' } });
      await keyring.db.query(
        `INSERT INTO widgets (organization_id, tenant_id, name)
         SELECT $1, $2, 'Filler ' || lpad(i::text, 5, '0') FROM generate_series(1, 2100) i`,
        [orgId, tenant.body.id],
      );
      await createWidget(operator, orgId, { tenantId: tenant.body.id, widgetName: 'Zz needle in the stack' });
      const needle = await auditor.request('GET', api('/widgets?q=NEEDLE'));
      expect(needle.body.items.map((w: { name: string }) => w.name)).toEqual(['Zz needle in the stack']);

      const names: string[] = [];
      let cursor = '';
      for (let page = 0; page < 3; page++) {
        const response = await auditor.request('GET', api(`/widgets?q=filler%2000&limit=4${cursor}`));
        names.push(...response.body.items.map((w: { name: string }) => w.name));
        cursor = `&cursor=${response.body.nextCursor}`;
      }
      expect(names).toEqual(Array.from({ length: 12 }, (_, i) => `Filler 00${String(i + 1).padStart(3, '0')}`));
    });

  });
});
