import type { Provider } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import type { AuditFullVerification, AuditVerification } from '@keyring/contracts';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatSelectHarness } from '@angular/material/select/testing';
import { Session } from '../core/session';
import { AuditLog } from './audit';

const VERIFY = '/api/v1/orgs/o/audit-events/verify';
const running: AuditFullVerification = { startedAt: '2026-11-29T10:00:00Z', finishedAt: null, valid: null, checkedEvents: null, firstBrokenSeq: null, reason: null };

/** The audit page of organization `o`, its event list and the names its sentences use answered with empty pages. */
function openAuditLog(providers: Provider[] = []) {
  TestBed.configureTestingModule({
    imports: [AuditLog],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations(), ...providers],
  });
  const fixture = TestBed.createComponent(AuditLog);
  fixture.componentRef.setInput('orgId', 'o');
  fixture.detectChanges();
  const http = TestBed.inject(HttpTestingController);
  const lists = ['audit-events', 'tenants', 'widgets', 'members'].map((list) => `/api/v1/orgs/o/${list}`);
  http.match((request) => lists.includes(request.url)).forEach((request) => request.flush({ items: [], nextCursor: null }));
  return { fixture, http };
}

describe('AuditLog chain badge', () => {
  afterEach(() => jest.useRealTimers());

  async function render() {
    jest.useFakeTimers();
    const { fixture, http } = openAuditLog();
    const element = fixture.nativeElement as HTMLElement;
    const settle = async () => {
      await jest.runOnlyPendingTimersAsync();
      fixture.detectChanges();
    };
    const answerVerify = async (body: AuditVerification) => {
      http.expectOne(VERIFY).flush(body);
      await settle();
    };
    const text = (testId: string) => element.querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/\s+/g, ' ').trim();
    const button = () => [...element.querySelectorAll('button')].find((candidate) => candidate.textContent?.includes('Full check')) as HTMLButtonElement;
    return { fixture, http, settle, answerVerify, text, button };
  }

  it('says when the chain was last fully verified, starts a full check and follows it to its end', async () => {
    const { http, settle, answerVerify, text, button } = await render();
    await answerVerify({ valid: true, checkedEvents: 12, fullVerification: null });
    expect(text('chain-badge')).toBe('verified Chain verified: 12 events');
    expect(text('full-check')).toBe('Never fully checked');

    button().click();
    http.expectOne({ method: 'POST', url: `${VERIFY}/full` }).flush(running);
    await settle();
    await answerVerify({ valid: true, checkedEvents: 12, fullVerification: running });
    expect(text('full-check')).toMatch(/^Full check running since .+…$/);
    expect(button().disabled).toBe(true);

    await settle(); // the poll
    await answerVerify({ valid: true, checkedEvents: 12, fullVerification: { ...running, finishedAt: '2026-11-29T10:05:00Z', valid: true, checkedEvents: 12 } });
    expect(text('full-check')).toMatch(/^Last full check .+2026.+: every event holds$/);
    expect(button().disabled).toBe(false);
    http.verify();
  });

  it('names the first broken event of the chain and of the last full check', async () => {
    const { answerVerify, text } = await render();
    const broken = { ...running, finishedAt: '2026-11-29T10:05:00Z', valid: false, checkedEvents: 2, firstBrokenSeq: 3, reason: 'Event 3 does not match its MAC.' };
    await answerVerify({ valid: false, checkedEvents: 2, firstBrokenSeq: 3, reason: 'Event 3 does not match its MAC.', fullVerification: broken });
    expect(text('chain-badge')).toBe('report Chain broken at event 3');
    expect(text('full-check')).toMatch(/: broken at event 3$/);
  });
});

describe('AuditLog filters', () => {
  it('asks the API for one outcome, so that refusals can be read on their own', async () => {
    const { fixture, http } = openAuditLog([{ provide: Session, useValue: { can: () => true } }]);
    // Nothing stays in flight (the harness waits for the page to be stable).
    http.expectOne(VERIFY).flush({ valid: true, checkedEvents: 0, fullVerification: null });
    const outcome = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatSelectHarness.with({ selector: '[name="outcome"]' }));
    await outcome.open();
    await outcome.clickOptions({ text: 'Refused' });
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    fixture.detectChanges();
    await new Promise((resolve) => setTimeout(resolve));
    const asked = http.match((request) => request.url === '/api/v1/orgs/o/audit-events').map((request) => request.request.params.get('outcome'));
    expect(asked).toContain('denied');
  });
});

describe('AuditLog exports', () => {
  /** The export buttons' clicks, with what the browser was asked to download. */
  function exporting() {
    const { fixture, http } = openAuditLog([{ provide: Session, useValue: { can: () => true } }]);
    http.expectOne(VERIFY).flush({ valid: true, checkedEvents: 0, fullVerification: null });
    const downloads: string[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(`${this.getAttribute('href')} download=${this.hasAttribute('download')}`);
    });
    const click = async (label: string) => {
      [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].find((button) => button.textContent?.includes(label))!.click();
      await new Promise((resolve) => setTimeout(resolve));
    };
    const preflight = () => http.expectOne((request) => request.url === '/api/v1/orgs/o/audit-events' && request.params.get('limit') === '1');
    return { http, downloads, click, preflight };
  }
  afterEach(() => jest.restoreAllMocks());

  it('hands the export to the browser as a link it downloads to disk, with the filters applied', async () => {
    const { downloads, click, preflight } = exporting();
    await click('NDJSON');
    preflight().flush({ items: [], nextCursor: null });
    await new Promise((resolve) => setTimeout(resolve));
    expect(downloads).toEqual(['/api/v1/orgs/o/audit-events/export?format=ndjson download=true']);
  });

  it('shows why when the API refuses, and downloads nothing', async () => {
    const { downloads, click, preflight } = exporting();
    await click('CSV');
    preflight().flush(
      { type: 'urn:keyring:problem:not-signed-in', title: 'Unauthorized', status: 401, detail: 'Sign in first: there is no valid session (it may have expired).' },
      { status: 401, statusText: 'Unauthorized' },
    );
    await new Promise((resolve) => setTimeout(resolve));
    expect(downloads).toEqual([]);
    expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('Sign in first: there is no valid session');
  });
});
