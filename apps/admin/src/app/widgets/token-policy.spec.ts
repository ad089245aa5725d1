import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import type { Widget } from '@keyring/contracts';
import { TokenPolicy } from './token-policy';

const WIDGET = { id: 'w', tenantId: 't', name: 'Site', tokenPolicy: { claims: 'jti', ttlSeconds: null } } as unknown as Widget;

describe('TokenPolicy', () => {
  function render(editable: boolean) {
    TestBed.configureTestingModule({ imports: [TokenPolicy], providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations()] });
    const fixture = TestBed.createComponent(TokenPolicy);
    fixture.componentRef.setInput('orgId', 'o');
    fixture.componentRef.setInput('widget', WIDGET);
    fixture.componentRef.setInput('editable', editable);
    fixture.detectChanges();
    const form = (fixture.componentInstance as unknown as { form: { controls: { claims: { setValue(v: string): void; markAsDirty(): void } } } }).form;
    const element = fixture.nativeElement as HTMLElement;
    return { fixture, form, element, http: TestBed.inject(HttpTestingController) };
  }

  it('says what the backend must change for each choice, and asks for a lifetime only with an expiry', () => {
    const { fixture, form, element } = render(true);
    expect(element.querySelector('[data-testid="token-policy-backend"]')?.textContent).toContain('Nothing to change');
    expect(element.textContent).not.toContain('Lifetime');
    form.controls.claims.setValue('jti+iat+exp');
    fixture.detectChanges();
    expect(element.querySelector('[data-testid="token-policy-backend"]')?.textContent).toContain('before the previous one expires');
    expect(element.textContent).toContain('Lifetime (seconds)');
  });

  it('sends the lifetime with an expiry and not without', async () => {
    const { fixture, form, http } = render(true);
    form.controls.claims.setValue('jti+iat+exp');
    form.controls.claims.markAsDirty();
    fixture.detectChanges();
    (fixture.nativeElement.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const first = http.expectOne('/api/v1/orgs/o/widgets/w');
    expect(first.request.body).toEqual({ tokenPolicy: { claims: 'jti+iat+exp', ttlSeconds: 3600 } });
    first.flush({ ...WIDGET, tokenPolicy: { claims: 'jti+iat+exp', ttlSeconds: 3600 } });
    form.controls.claims.setValue('jti+iat');
    fixture.detectChanges();
    (fixture.nativeElement.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const second = http.expectOne('/api/v1/orgs/o/widgets/w');
    expect(second.request.body).toEqual({ tokenPolicy: { claims: 'jti+iat' } });
  });

  it('is read-only for a role that may not change widgets', () => {
    const { element } = render(false);
    expect(element.querySelector('button')).toBeNull();
  });
});
