import { createWidget } from '../../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../../test/identity-fixtures';
import { startTestApp, type HttpResult, type TestApp } from '../../../test/test-app';

const uuid = (n: number) => `7c1b0f7e-0000-4000-8000-${String(n).padStart(12, '0')}`;
const HEADER = 'tenant,widget,huggyWidgetUuid,huggyCompanyId,secret';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n');

describe('bulk import and inventory export (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let operator: Session;
  let auditor: Session;
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  /** Every response of this file, to look for the seeded secrets in. */
  const responses: string[] = [];
  const send = async (session: Session, body: string | object, query = '', headers: Record<string, string> = {}): Promise<HttpResult> => {
    const response = await session.request('POST', api(`/imports${query}`), {
      ...(typeof body === 'string' ? { rawBody: body, headers: { 'content-type': 'text/csv', ...headers } } : { body, headers }),
    });
    responses.push(response.text);
    return response;
  };
  const dryRun = (session: Session, body: string | object) => send(session, body, '?dryRun=true');
  const count = async (path: string) => (await owner.request('GET', api(path))).body.items.length;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
  });
  afterAll(() => keyring.close());

  describe('a dry run', () => {
    let existing: { tenantId: string; widgetId: string };

    beforeAll(async () => {
      // Holds "Site chat" with uuid 1 (createWidget's), and an archived tenant.
      existing = await createWidget(owner, orgId, { tenantName: 'Padaria Existente', secret: 'existing-secret-0001' });
      const counter = await createWidget(owner, orgId, { tenantId: existing.tenantId, widgetName: 'Balcão' });
      await owner.request('PATCH', api(`/widgets/${counter.widgetId}`), { body: { huggyWidgetUuid: uuid(2) } });
      const archived = await owner.request('POST', api('/tenants'), { body: { name: 'Fechada' } });
      await owner.request('POST', api(`/tenants/${archived.body.id}/archive`));
    });

    it('names each bad row by its line and field, and changes nothing', async () => {
      const widgetsBefore = await count('/widgets?limit=200');
      const response = await dryRun(
        operator,
        csv(
          `Café Lumière,Site,${uuid(10)},4242,import-secret-0010`, // 2: fine, new tenant
          `,Loja,${uuid(11)},,import-secret-0011`, // 3: no tenant
          `Café Lumière,Loja,not-a-uuid,,import-secret-0012`, // 4: bad uuid
          `Café Lumière,Balcão,${uuid(13)},12a,import-secret-0013`, // 5: bad company id
          `Café Lumière,Delivery,${uuid(14)},, import-secret-0014`, // 6: secret with a space
          `Café Lumière,Site 2,${uuid(10)},,import-secret-0015`, // 7: same tenant and uuid as line 2
          `Café Lumière,site,${uuid(16)},,import-secret-0016`, // 8: same name as line 2 in the tenant
          `Outro Cliente,Site,${uuid(10)},,import-secret-0017`, // 9: uuid of line 2 for another tenant
          `Padaria Existente,balcão,${uuid(18)},,import-secret-0018`, // 10: name taken by an existing widget
          `Outro Cliente,Chat,${uuid(1)},,import-secret-0019`, // 11: uuid of the existing widget, other tenant
          `fechada,Chat,${uuid(20)},,import-secret-0020`, // 12: archived tenant
          `Padaria Existente,Site chat,${uuid(1)},4242,existing-secret-0001`, // 13: the existing widget, same secret
          `Outro Cliente,Outro site,${uuid(24)},,`, // 14: new widget without a secret
          `Outro Cliente,Sem segredo,${uuid(21)},,`, // 15: new widget without a secret
          `Outro Cliente,Chat,${uuid(22)},,import-secret-0022,extra`, // 16: a cell too many
          `Outro Cliente,Sem uuid,,,import-secret-0023`, // 17: no uuid for a new widget
        ),
      );
      expect(response.status).toBe(200);
      expect(response.body.errors).toEqual([
        { row: 3, field: 'tenant', message: 'tenant is required' },
        { row: 4, field: 'huggyWidgetUuid', message: 'huggyWidgetUuid must be the widget UUID from the Huggy panel' },
        { row: 5, field: 'huggyCompanyId', message: 'huggyCompanyId must be the numeric company id from the Huggy panel' },
        { row: 6, field: 'secret', message: 'secret starts or ends with white space (a pasted newline or space?); remove it, Keyring never trims a secret' },
        { row: 7, field: 'huggyWidgetUuid', message: 'duplicate of row 2: the same tenant and Huggy widget uuid' },
        { row: 8, field: 'widget', message: 'duplicate of row 2: tenant "Café Lumière" can have one widget named "site"' },
        { row: 9, field: 'huggyWidgetUuid', message: 'row 2 gives this Huggy widget uuid to tenant "Café Lumière": a Huggy widget belongs to one tenant' },
        { row: 10, field: 'widget', message: `tenant "Padaria Existente" already has a widget named "Balcão" (Huggy widget uuid ${uuid(2)})` },
        { row: 11, field: 'huggyWidgetUuid', message: 'this Huggy widget uuid is already used by widget "Site chat" of tenant "Padaria Existente"' },
        { row: 12, field: 'tenant', message: 'tenant "Fechada" is archived: unarchive it first' },
        { row: 16, field: null, message: 'this row has 6 cells but the header 5 columns (a comma in a name? quote the cell)' },
        { row: 17, field: 'huggyWidgetUuid', message: 'huggyWidgetUuid is required to create a widget: it identifies the widget from one import to the next' },
      ]);
      expect(response.body.newTenants).toEqual(['Café Lumière', 'Outro Cliente']);
      expect(response.body.counts).toEqual({ rows: 16, invalidRows: 12, tenantsCreated: 2, widgetsCreated: 3, secretsImported: 1, unchanged: 1 });
      const outcome = (row: number) => response.body.rows.find((r: { row: number }) => r.row === row);
      expect(outcome(2)).toEqual({ row: 2, tenant: 'Café Lumière', widget: 'Site', huggyWidgetUuid: uuid(10), outcome: 'create-widget', newTenant: true, widgetId: null, secretVersion: 1, fingerprint: null });
      expect(outcome(13)).toMatchObject({ outcome: 'unchanged', newTenant: false, widgetId: existing.widgetId, fingerprint: expect.stringMatching(/^[0-9A-Z]{4}-/) });
      expect(outcome(15)).toMatchObject({ outcome: 'create-widget', secretVersion: null });
      expect(outcome(3)).toMatchObject({ outcome: 'error', widgetId: null });
      expect(await count('/widgets?limit=200')).toBe(widgetsBefore);
      expect((await owner.request('GET', api('/tenants?q=Lumi'))).body.items).toEqual([]);
    });

    it('applying a file with bad rows imports none of it (422 with the report)', async () => {
      const response = await send(operator, csv(`Nova Loja,Site,${uuid(30)},,import-secret-0030`, `Nova Loja,Chat,${uuid(31)},,short`));
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        type: 'urn:keyring:problem:import-has-errors',
        detail: '1 of 2 rows cannot be imported, so nothing was: fix them (the report lists each) and import again.',
        report: { applied: false, errors: [{ row: 3, field: 'secret', message: 'secret must have 8 to 512 characters' }] },
      });
      expect((await owner.request('GET', api('/tenants?q=Nova'))).body.items).toEqual([]);
    });
  });

  describe('applying', () => {
    const file = csv(
      `Clínica Sorriso,Recepção,${uuid(40)},1001,import-secret-0040`,
      `Clínica Sorriso,Agendamento,${uuid(41)},1001,import-secret-0041`,
      `Academia Forte,Site,${uuid(42)},,import-secret-0042`,
      `Academia Forte,Sem segredo,${uuid(43)},,`,
    );
    let first: HttpResult;

    it('creates the tenants, widgets and secrets, with an outcome per row and one audit event per thing created', async () => {
      first = await send(operator, file);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        dryRun: false,
        applied: true,
        errors: [],
        newTenants: ['Clínica Sorriso', 'Academia Forte'],
        counts: { rows: 4, invalidRows: 0, tenantsCreated: 2, widgetsCreated: 4, secretsImported: 3, unchanged: 0 },
      });
      expect(first.body.rows.map((r: { outcome: string; secretVersion: number | null }) => [r.outcome, r.secretVersion])).toEqual([
        ['create-widget', 1], ['create-widget', 1], ['create-widget', 1], ['create-widget', null],
      ]);
      const [reception] = first.body.rows;
      const widget = await operator.request('GET', api(`/widgets/${reception.widgetId}`));
      expect(widget.body).toMatchObject({ name: 'Recepção', tenantName: 'Clínica Sorriso', huggyWidgetUuid: uuid(40), huggyCompanyId: '1001', activeSecret: { version: 1, fingerprint: reception.fingerprint } });
      expect((await operator.request('GET', api(`/widgets/${first.body.rows[3].widgetId}`))).body.activeSecret).toBeNull();
      // The stored secret signs: the ciphertext is bound to the widget and version it was written for.
      const token = await operator.request('POST', api(`/widgets/${reception.widgetId}/test-user-hash`), { body: { userIdentifier: 'visitor' } });
      expect(token.status).toBe(200);
      const tenants = (await owner.request('GET', api('/tenants?q=Sorriso'))).body.items;
      expect(tenants).toEqual([expect.objectContaining({ name: 'Clínica Sorriso', widgetCount: 2 })]);

      const events = (await auditor.request('GET', api('/audit-events?limit=50'))).body.items as { action: string; details: Record<string, unknown>; requestId: string; actor: { id: string } }[];
      const ofImport = events.filter((event) => event.requestId === first.headers.get('x-request-id'));
      expect(ofImport.map((event) => event.action).sort()).toEqual(['import.applied', 'tenant.created', 'tenant.created', 'widget.created', 'widget.created', 'widget.created', 'widget.created']);
      expect(ofImport.find((event) => event.action === 'import.applied')!.details).toEqual({ rows: 4, invalidRows: 0, tenantsCreated: 2, widgetsCreated: 4, secretsImported: 3, unchanged: 0 });
      expect(ofImport.filter((event) => event.action === 'widget.created').map((event) => event.details['initialSecret'])).toContainEqual({ version: 1, fingerprint: reception.fingerprint });
      expect(ofImport.every((event) => event.actor.id === operator.userId)).toBe(true);
      expect((await auditor.request('GET', api('/audit-events/verify'))).body.valid).toBe(true);
    });

    it('the same file again changes nothing: every row unchanged, no new version, no audit event', async () => {
      const eventsBefore = (await auditor.request('GET', api('/audit-events?limit=200'))).body.items.length;
      const again = await send(operator, file);
      expect(again.status).toBe(200);
      expect(again.body.counts).toEqual({ rows: 4, invalidRows: 0, tenantsCreated: 0, widgetsCreated: 0, secretsImported: 0, unchanged: 4 });
      expect(again.body.rows.map((r: { widgetId: string }) => r.widgetId)).toEqual(first.body.rows.map((r: { widgetId: string }) => r.widgetId));
      expect((await operator.request('GET', api(`/widgets/${first.body.rows[0].widgetId}/secret-versions`))).body.items).toHaveLength(1);
      expect((await auditor.request('GET', api('/audit-events?limit=200'))).body.items.length).toBe(eventsBefore);
    });

    it('a changed secret becomes the next version, the old one kept for rollback, audited as a rotation', async () => {
      // Queued for rotation by an offboarding: the imported secret answers the request, as a pasted one does.
      await keyring.db.query('UPDATE widgets SET rotation_requested_at = now() WHERE id = $1', [first.body.rows[0].widgetId]);
      const response = await send(operator, csv(`Clínica Sorriso,Recepção,${uuid(40)},,import-secret-0040-new`, `Academia Forte,Sem segredo,${uuid(43)},,import-secret-0043`));
      expect(response.body.rows.map((r: { outcome: string; secretVersion: number }) => [r.outcome, r.secretVersion])).toEqual([['import-secret', 2], ['import-secret', 1]]);
      const versions = (await operator.request('GET', api(`/widgets/${first.body.rows[0].widgetId}/secret-versions`))).body.items;
      expect(versions.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([[2, 'active'], [1, 'previous']]);
      expect(versions[0].fingerprint).toBe(response.body.rows[0].fingerprint);
      expect((await operator.request('GET', api(`/widgets/${first.body.rows[0].widgetId}`))).body.rotationRequestedAt).toBeNull();
      const rotated = (await auditor.request('GET', api(`/audit-events?action=secret.rotated&targetId=${first.body.rows[0].widgetId}`))).body.items;
      expect(rotated[0].details).toEqual({ version: 2, fingerprint: versions[0].fingerprint, previousVersion: 1, source: 'import' });
      const rollback = await owner.request('POST', api(`/widgets/${first.body.rows[0].widgetId}/secret-versions/1/activate`));
      expect(rollback.status).toBe(200);
    });

    it('takes JSON rows, numbered from 1', async () => {
      const response = await send(operator, {
        rows: [
          { tenant: 'Academia Forte', widget: 'App', huggyWidgetUuid: uuid(50), huggyCompanyId: 77, secret: 'import-secret-0050' },
          { tenant: 'Academia Forte', widget: 'App 2', huggyWidgetUuid: uuid(51), secret: 12345678 },
          'not a row',
          { tenant: 'Academia Forte', widget: 'App 3', huggyWidgetUuid: uuid(52), color: 'blue' },
        ],
      }, '?dryRun=true');
      expect(response.status).toBe(200);
      expect(response.body.errors).toEqual([
        { row: 2, field: 'secret', message: 'secret must be a string' },
        { row: 3, field: null, message: 'each row is an object with tenant, widget, huggyWidgetUuid, huggyCompanyId, secret' },
        { row: 4, field: null, message: 'unknown field "color": a row has tenant, widget, huggyWidgetUuid, huggyCompanyId, secret' },
      ]);
      expect(response.body.rows[0]).toMatchObject({ row: 1, outcome: 'create-widget', secretVersion: 1 });
    });
  });

  describe('limits and malformed files', () => {
    it('refuses more than 10,000 rows and a body over 8 MB with 413 naming the limit', async () => {
      const rows = Array.from({ length: 10_001 }, (_, i) => `T,W${i},${uuid(100_000 + i)},,`);
      const tooMany = await dryRun(operator, csv(...rows));
      expect(tooMany.status).toBe(413);
      expect(tooMany.body).toMatchObject({ type: 'urn:keyring:problem:import-too-many-rows', detail: 'An import holds at most 10,000 rows: split the file and import each part.' });
      const json = await dryRun(operator, { rows: Array.from({ length: 10_001 }, () => ({ tenant: 'T', widget: 'W' })) });
      expect(json.status).toBe(413);
      const huge = await dryRun(operator, csv(`T,W,${uuid(1)},,${'x'.repeat(8 * 1024 * 1024)}`));
      expect(huge.status).toBe(413);
      expect(huge.body.detail).toBe('The request body is larger than 8192kb.');
      // Other routes keep their own limit.
      const tenant = await operator.request('POST', api('/tenants'), { rawBody: JSON.stringify({ name: 'x'.repeat(300 * 1024) }) });
      expect(tenant.status).toBe(413);
    });

    it('says what is wrong with the file as a whole', async () => {
      const cases: [string | object, number, string, Record<string, string>?][] = [
        ['tenant,widget,colour\r\nA,B,red', 400, 'Unknown column "colour": the header names the columns tenant, widget, huggyWidgetUuid, huggyCompanyId, secret.'],
        // No header line: the first row is taken for one, and its cells (a secret among them) are not said back.
        [
          `Acme,Site,${uuid(2)},123,headerless-secret-value-42\r\nA,B,${uuid(3)},,another-secret-value-43`,
          400,
          'Unknown column "Acme", "Site"; 3 cell(s) of the first line are not column names (is the header line missing?): the header names the columns tenant, widget, huggyWidgetUuid, huggyCompanyId, secret.',
        ],
        ['widget,secret\r\nB,abcdefghij', 400, 'The header has no tenant column: the first line names the columns tenant, widget, huggyWidgetUuid, huggyCompanyId, secret.'],
        [`${HEADER}\r\nA,"B,${uuid(1)},,secret-never-closed`, 400, 'The CSV cannot be read at line 2: a quoted cell is never closed.'],
        [HEADER, 400, 'The import holds no rows: one widget a row, under a header line naming the columns.'],
        [{ csv: 'a,b' }, 400, 'Send the rows as JSON { "rows": [{ "tenant", "widget", "huggyWidgetUuid", "huggyCompanyId", "secret" }, …] } or as CSV (Content-Type: text/csv).'],
        ['tenant,widget\r\nA,B', 415, 'Send the body as JSON ("Content-Type: application/json") or CSV ("Content-Type: text/csv").', { 'content-type': 'text/plain' }],
      ];
      for (const [body, status, detail, headers] of cases) {
        const response = await send(operator, body, '?dryRun=true', headers);
        expect({ status: response.status, detail: response.body.detail }).toEqual({ status, detail });
      }
      const badFlag = await send(operator, csv('A,B,,,'), '?dryRun=maybe');
      expect(badFlag.status).toBe(400);
      expect(badFlag.body.errors).toEqual([{ field: 'dryRun', message: 'dryRun must be true or false' }]);
    });
  });

  describe('who may import', () => {
    it('an auditor may not (403); a member limited to tenants imports into theirs only, and learns nothing of the others', async () => {
      expect((await dryRun(auditor, csv(`A,B,${uuid(60)},,`))).status).toBe(403);
      const mine = await createWidget(owner, orgId, { tenantName: 'Só Meu', widgetName: 'Mine' });
      const theirs = await createWidget(owner, orgId, { tenantName: 'Dos Outros', widgetName: 'Theirs' });
      await owner.request('PATCH', api(`/widgets/${theirs.widgetId}`), { body: { huggyWidgetUuid: uuid(61) } });
      const limited = await addMember(keyring, owner, orgId, 'limited@agency.example', 'operator', [mine.tenantId]);
      const response = await dryRun(
        limited,
        csv(`Só Meu,Novo,${uuid(62)},,import-secret-0062`, `Dos Outros,Novo,${uuid(63)},,`, `Cliente Novo,Novo,${uuid(64)},,`, `Só Meu,Outro,${uuid(61)},,`),
      );
      expect(response.body.errors).toEqual([
        { row: 3, field: 'tenant', message: 'no tenant named "Dos Outros" among yours: you are limited to some tenants and cannot create new ones' },
        { row: 4, field: 'tenant', message: 'no tenant named "Cliente Novo" among yours: you are limited to some tenants and cannot create new ones' },
        { row: 5, field: 'huggyWidgetUuid', message: 'this Huggy widget uuid is already used by another widget' },
      ]);
      expect(response.body.rows[0]).toMatchObject({ outcome: 'create-widget', newTenant: false });
      const applied = await send(limited, csv(`Só Meu,Novo,${uuid(62)},,import-secret-0062`));
      expect(applied.body.counts).toMatchObject({ widgetsCreated: 1, tenantsCreated: 0 });
      // Its inventory holds its own tenant only.
      const inventory = await limited.request('GET', api('/imports/inventory.csv'));
      expect(inventory.text).toContain('Só Meu');
      expect(inventory.text).not.toContain('Dos Outros');
    });
  });

  describe('inventory export', () => {
    it('streams the live widgets in the import columns, secrets empty, and imports back unchanged', async () => {
      await createWidget(owner, orgId, { tenantName: '=SUM(A1)', widgetName: '+Formula' });
      const response = await auditor.request('GET', api('/imports/inventory.csv'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="keyring-inventory.csv"');
      const lines = response.text.trim().split('\r\n');
      expect(lines[0]).toBe(HEADER);
      expect(lines).toContain(`Clínica Sorriso,Recepção,${uuid(40)},1001,`);
      expect(lines).toContain(`'=SUM(A1),'+Formula,${uuid(1)},4242,`);
      expect(lines.slice(1).every((line) => line.endsWith(','))).toBe(true);
      const widgets = (await owner.request('GET', api('/widgets?limit=200'))).body.total;
      expect(lines).toHaveLength(widgets + 1);

      const back = await dryRun(owner, response.text);
      expect(back.body.errors).toEqual([]);
      expect(back.body.counts).toMatchObject({ rows: widgets, unchanged: widgets });
    });
  });

  it('never echoes a secret it was given: not in a report, an error, or a log line', () => {
    const text = responses.join('\n');
    const logs = keyring.logs.join('\n');
    expect(text).toContain('import-has-errors'); // the responses of the file are here
    expect(['import-secret-00', 'existing-secret-0001', 'secret-never-closed'].filter((secret) => text.includes(secret) || logs.includes(secret))).toEqual([]);
  });
});
