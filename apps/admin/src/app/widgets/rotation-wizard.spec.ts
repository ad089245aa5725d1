import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import type { SecretVersion, Widget } from '@keyring/contracts';
import { secretFingerprint } from '@keyring/signing';
import { pastedSecretWarning, RotationWizard } from './rotation-wizard';

const WIDGET: Widget = {
  id: '4f9c1d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f',
  tenantId: 't',
  tenantName: 'Tenant',
  name: 'Site',
  huggyWidgetUuid: null,
  huggyCompanyId: null,
  createdAt: '',
  updatedAt: '',
  archivedAt: null,
  tokenPolicy: { claims: 'jti', ttlSeconds: null },
  activeSecret: { version: 3, fingerprint: 'AAAA-BBBB-CCCC-DDDD', activatedAt: '' },
  rotationRequestedAt: null,
};

describe('pastedSecretWarning', () => {
  it('warns about white space at either end instead of trimming, and about control characters and short pastes', () => {
    expect(pastedSecretWarning('a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b')).toBeNull();
    expect(pastedSecretWarning('a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b\n')).toContain('starts or ends with white space');
    expect(pastedSecretWarning(' a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b')).toContain('Keyring never trims a secret');
    expect(pastedSecretWarning('a3f1c9e07b2d\u00004e6f8a1b3c5d7e9f')).toContain('control character');
    expect(pastedSecretWarning('short')).toBe('secret must have 8 to 512 characters');
    // The same rule as the API (libs/contracts): what the API accepts, the console lets through.
    expect(pastedSecretWarning('8chars!!')).toBeNull();
    expect(pastedSecretWarning('')).toBeNull();
  });
});

describe('RotationWizard', () => {
  function render(widget: Widget = WIDGET) {
    TestBed.configureTestingModule({ imports: [RotationWizard], providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations()] });
    const fixture = TestBed.createComponent(RotationWizard);
    fixture.componentRef.setInput('orgId', 'org-1');
    fixture.componentRef.setInput('widget', widget);
    fixture.componentRef.setInput('latestVersion', 4);
    fixture.detectChanges();
    const wizard = fixture.componentInstance as unknown as { secret: { set(v: string): void }; pasteOk(): boolean; fingerprint(): string | null; nextVersion(): number };
    return { fixture, wizard, http: TestBed.inject(HttpTestingController) };
  }

  it('refuses to go on with a paste that has white space around it, and never changes it', () => {
    const { wizard } = render();
    wizard.secret.set('a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b ');
    expect(wizard.pasteOk()).toBe(false);
    wizard.secret.set('a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b');
    expect(wizard.pasteOk()).toBe(true);
  });

  it('shows the fingerprint of the paste, then activates it as the next version with the version it expects to replace', async () => {
    const { fixture, wizard, http } = render();
    const activated: SecretVersion[] = [];
    fixture.componentInstance.activated.subscribe((version) => activated.push(version));
    wizard.secret.set('a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b');
    await fixture.componentInstance.checkFingerprint();
    expect(wizard.fingerprint()).toBe(await secretFingerprint(WIDGET.id, 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b'));
    expect(wizard.nextVersion()).toBe(5);

    const done = fixture.componentInstance.activate();
    const request = http.expectOne(`/api/v1/orgs/org-1/widgets/${WIDGET.id}/secret-versions`);
    expect(request.request.body).toEqual({ secret: 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b', expectedActiveVersion: 3 });
    request.flush({ version: 5, state: 'active', fingerprint: wizard.fingerprint() });
    await done;
    expect(activated.map((v) => v.version)).toEqual([5]);
  });

  it('shows the API message when someone rotated meanwhile', async () => {
    const { fixture, http } = render();
    const done = fixture.componentInstance.activate();
    http
      .expectOne(() => true)
      .flush({ type: 'urn:keyring:problem:version-conflict', detail: 'Someone rotated this widget meanwhile (active version is now 4); reload and try again.' }, { status: 409, statusText: 'Conflict' });
    await done;
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Someone rotated this widget meanwhile');
  });

  it('imports the current key when the widget has none (no refresh, no rollback promised), rotates when it has one', () => {
    const text = (widget: Widget) => (render(widget).fixture.nativeElement as HTMLElement).textContent ?? '';
    const importing = text({ ...WIDGET, activeSecret: null });
    expect(importing).toContain('Copy the current key from Huggy');
    expect(importing).toContain('Do not click Refresh Key');
    expect(importing).not.toContain('rollback');
    TestBed.resetTestingModule();
    const rotating = text(WIDGET);
    expect(rotating).toContain('Click Refresh Key');
    expect(rotating).toContain('version 3 stays available for rollback');
  });
});
