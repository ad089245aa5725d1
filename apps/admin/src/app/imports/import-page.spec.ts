import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatTableHarness } from '@angular/material/table/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { provideRouter } from '@angular/router';
import type { ImportReport } from '@keyring/contracts';
import { Session } from '../core/session';
import { ImportPage } from './import-page';

const IMPORTS = '/api/v1/orgs/o/imports';
const CSV = 'tenant,widget,huggyWidgetUuid,huggyCompanyId,secret\nClient,Site,7c1b0f7e-0000-4000-8000-000000000001,,secret-value-1\nClient,Chat,bad,,short';

function report(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    dryRun: true,
    applied: false,
    counts: { rows: 2, invalidRows: 1, tenantsCreated: 1, widgetsCreated: 1, secretsImported: 1, unchanged: 0 },
    newTenants: ['Client'],
    errors: [
      { row: 3, field: 'huggyWidgetUuid', message: 'huggyWidgetUuid must be the widget UUID from the Huggy panel' },
      { row: 3, field: 'secret', message: 'secret must have 8 to 512 characters' },
    ],
    rows: [
      { row: 2, tenant: 'Client', widget: 'Site', huggyWidgetUuid: '7c1b0f7e-0000-4000-8000-000000000001', outcome: 'create-widget', newTenant: true, widgetId: null, secretVersion: 1, fingerprint: null },
      { row: 3, tenant: 'Client', widget: 'Chat', huggyWidgetUuid: null, outcome: 'error', newTenant: true, widgetId: null, secretVersion: null, fingerprint: null },
    ],
    ...overrides,
  };
}

async function render(can = true) {
  TestBed.configureTestingModule({
    imports: [ImportPage],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations(), provideRouter([]), { provide: Session, useValue: { can: () => can } }],
  });
  const fixture = TestBed.createComponent(ImportPage);
  fixture.componentRef.setInput('orgId', 'o');
  fixture.detectChanges();
  const loader = TestbedHarnessEnvironment.loader(fixture);
  const button = (text: string) => loader.getHarness(MatButtonHarness.with({ text: new RegExp(text) }));
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  return { fixture, loader, button, settle, http: TestBed.inject(HttpTestingController), text: () => (fixture.nativeElement as HTMLElement).textContent ?? '' };
}

describe('ImportPage', () => {
  it('checks the pasted CSV as a dry run, lists each error by row and column, and offers no Apply while there are errors', async () => {
    const { loader, button, settle, http, text } = await render();
    expect(await (await button('Check')).isDisabled()).toBe(true);
    await (await loader.getHarness(MatInputHarness)).setValue(CSV);
    await (await button('Check')).click();
    const request = http.expectOne((candidate) => candidate.url === IMPORTS);
    expect(request.request.params.get('dryRun')).toBe('true');
    expect(request.request.headers.get('Content-Type')).toBe('text/csv');
    expect(request.request.body).toBe(CSV);
    request.flush(report());
    await settle();

    const errors = await loader.getHarness(MatTableHarness.with({ selector: '[data-testid="import-errors"]' }));
    expect(await errors.getCellTextByIndex()).toEqual([
      ['3', 'huggyWidgetUuid', 'huggyWidgetUuid must be the widget UUID from the Huggy panel'],
      ['3', 'secret', 'secret must have 8 to 512 characters'],
    ]);
    expect(text()).toContain('Tenants to create');
    expect(await (await button('Apply import')).isDisabled()).toBe(true);
  });

  it('applies a clean file, then shows each row\'s outcome and keeps no copy of the secrets', async () => {
    const { loader, button, settle, http, text } = await render();
    const input = await loader.getHarness(MatInputHarness);
    await input.setValue(CSV);
    await (await button('Check')).click();
    http.expectOne(() => true).flush(report({ errors: [], counts: { rows: 2, invalidRows: 0, tenantsCreated: 1, widgetsCreated: 2, secretsImported: 1, unchanged: 0 }, rows: [report().rows[0]] }));
    await settle();
    await (await button('Apply import')).click();
    const apply = http.expectOne(() => true);
    expect(apply.request.params.get('dryRun')).toBe('false');
    apply.flush(report({ dryRun: false, applied: true, errors: [], rows: [{ ...report().rows[0], widgetId: 'w1', fingerprint: 'AAAA-BBBB-CCCC-DDDD' }] }));
    await settle();
    expect(text()).toContain('Imported');
    expect(text()).toContain('AAAA-BBBB-CCCC-DDDD');
    expect(await input.getValue()).toBe('');
  });

  it('a refused apply (422) shows the report it carries', async () => {
    const { loader, button, settle, http, text } = await render();
    await (await loader.getHarness(MatInputHarness)).setValue(CSV);
    await (await button('Check')).click();
    http.expectOne(() => true).flush(report({ errors: [], counts: { rows: 2, invalidRows: 0, tenantsCreated: 1, widgetsCreated: 2, secretsImported: 1, unchanged: 0 } }));
    await settle();
    await (await button('Apply import')).click();
    http.expectOne(() => true).flush({ detail: '1 of 2 rows cannot be imported, so nothing was: fix them (the report lists each) and import again.', report: report({ dryRun: false }) }, { status: 422, statusText: 'Unprocessable Entity' });
    await settle();
    await settle();
    expect(text()).toContain('1 of 2 rows cannot be imported');
    expect(text()).toContain('Nothing was imported');
    expect(text()).toContain('secret must have 8 to 512 characters');
  });

  it('a role that cannot import is told so, and may still download the inventory', async () => {
    const { button, text } = await render(false);
    expect(text()).toContain('Your role can download the inventory but not import');
    expect(await (await button('Download inventory')).isDisabled()).toBe(false);
  });

  it('hands the inventory to the browser as a link it downloads to disk, after one widget read shows access', async () => {
    const { button, settle, http } = await render();
    const downloads: string[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.getAttribute('href') ?? '');
    });
    await (await button('Download inventory')).click();
    http.expectOne((request) => request.url === '/api/v1/orgs/o/widgets' && request.params.get('limit') === '1').flush({ items: [], nextCursor: null, total: 0, totalExact: true });
    await settle();
    expect(downloads).toEqual(['/api/v1/orgs/o/imports/inventory.csv']);
    jest.restoreAllMocks();
  });
});
