import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatFormFieldHarness } from '@angular/material/form-field/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { provideRouter } from '@angular/router';
import type { AuditStream, Permission } from '@keyring/contracts';
import { Session } from '../core/session';
import { AuditStreams } from './audit-streams';

const LIST = '/api/v1/orgs/o/audit-streams';
const stream = (overrides: Partial<AuditStream>): AuditStream => ({
  id: 's1',
  kind: 'syslog',
  url: 'tcp://siem.example:514',
  createdAt: '2026-11-29T10:00:00Z',
  startSeq: 10,
  deliveredSeq: 40,
  lastDeliveredAt: '2026-11-29T10:05:00Z',
  lag: 0,
  lastError: null,
  lastErrorAt: null,
  ...overrides,
});

function open(permissions: Permission[]) {
  TestBed.configureTestingModule({
    imports: [AuditStreams],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations(), provideRouter([]), { provide: Session, useValue: { can: (p: Permission) => permissions.includes(p) } }],
  });
  const fixture = TestBed.createComponent(AuditStreams);
  fixture.componentRef.setInput('orgId', 'o');
  fixture.detectChanges();
  const http = TestBed.inject(HttpTestingController);
  const element = fixture.nativeElement as HTMLElement;
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  return { fixture, http, element, settle, harnesses: TestbedHarnessEnvironment.loader(fixture) };
}

describe('AuditStreams', () => {
  it('shows each stream as up to date, behind or failing with its error', async () => {
    const { http, element, settle } = open(['audit:read']);
    http.expectOne(LIST).flush({
      items: [
        stream({}),
        stream({ id: 's2', url: 'https://siem.example/in', kind: 'https', lag: 3 }),
        stream({ id: 's3', url: 'tcp://down.example:514', lag: 7, lastError: 'connect ECONNREFUSED 10.0.0.9:514', lastErrorAt: '2026-11-29T10:06:00Z' }),
      ],
    });
    await settle();
    const rows = [...element.querySelectorAll('li.stream')].map((row) => row.textContent?.replace(/\s+/g, ' ').trim());
    expect(rows[0]).toMatch(/^tcp:\/\/siem\.example:514 Syslog · delivered up to event 40 \(.+\) Up to date$/);
    expect(rows[1]).toMatch(/HTTPS · delivered up to event 40 .* 3 behind$/);
    expect(rows[2]).toMatch(/Failing 7 event\(s\) waiting · since .+: connect ECONNREFUSED 10\.0\.0\.9:514$/);
    // An auditor reads; only owners and admins add or delete.
    expect(element.querySelector('form')).toBeNull();
    expect(element.querySelectorAll('li.stream button')).toHaveLength(0);
  });

  it("puts the API's refusal of a receiver under the field", async () => {
    const { http, settle, harnesses } = open(['audit:read', 'audit-streams:manage']);
    http.expectOne(LIST).flush({ items: [] });
    await settle();
    await (await harnesses.getHarness(MatInputHarness)).setValue('tcp://siem.example');
    await (await harnesses.getHarness(MatButtonHarness.with({ text: 'Start streaming' }))).click();
    const post = http.expectOne({ method: 'POST', url: LIST });
    expect(post.request.body).toEqual({ kind: 'syslog', url: 'tcp://siem.example' });
    post.flush(
      { type: 'urn:keyring:problem:validation', status: 400, detail: 'url must name a host and a port, as in tcp://host:514', errors: [{ field: 'url', message: 'url must name a host and a port, as in tcp://host:514' }] },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    const field = await harnesses.getHarness(MatFormFieldHarness.with({ floatingLabelText: 'Receiver' }));
    expect(await field.getTextErrors()).toEqual(['url must name a host and a port, as in tcp://host:514']);
  });

  it('says why a member limited to some tenants sees no streams', async () => {
    const { http, element, settle } = open(['audit:read']);
    http.expectOne(LIST).flush(
      { type: 'urn:keyring:problem:audit-stream-tenant-limited', status: 403, detail: "You are limited to some tenants, and an audit stream carries the whole organization's log." },
      { status: 403, statusText: 'Forbidden' },
    );
    await settle();
    expect(element.querySelector('[data-testid="state-forbidden"]')?.textContent).toContain('You are limited to some tenants');
  });
});
