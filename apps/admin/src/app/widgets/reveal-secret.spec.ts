import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA } from '@angular/material/dialog';
import { provideNoopAnimations } from '@angular/platform-browser/animations';
import { REVEAL_SECONDS, RevealSecret } from './reveal-secret';

describe('RevealSecret', () => {
  afterEach(() => jest.useRealTimers());

  function render() {
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      imports: [RevealSecret],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideNoopAnimations(), { provide: MAT_DIALOG_DATA, useValue: { orgId: 'o', widgetId: 'w', version: 2 } }],
    });
    const fixture = TestBed.createComponent(RevealSecret);
    fixture.detectChanges();
    const component = fixture.componentInstance as unknown as { password: { set(v: string): void }; revealed(): unknown; secondsLeft(): number; message(): string | null };
    const text = () => {
      fixture.detectChanges();
      return (fixture.nativeElement as HTMLElement).textContent ?? '';
    };
    return { fixture, component, text, http: TestBed.inject(HttpTestingController) };
  }

  it('asks for the password, shows the secret masked, and forgets it after 30 seconds', async () => {
    const { fixture, component, text, http } = render();
    component.password.set('my-password-is-long');
    const done = fixture.componentInstance.reveal();
    const request = http.expectOne('/api/v1/orgs/o/widgets/w/secret-versions/2/reveal');
    expect(request.request.body).toEqual({ password: 'my-password-is-long' });
    request.flush({ version: 2, fingerprint: 'AAAA-BBBB-CCCC-DDDD', secret: 'the-revealed-secret-value' });
    await done;
    expect(text()).not.toContain('the-revealed-secret-value'); // masked by default
    expect(text()).toContain(`Hidden again in ${REVEAL_SECONDS} s`);

    jest.advanceTimersByTime((REVEAL_SECONDS - 1) * 1000);
    expect(component.secondsLeft()).toBe(1);
    expect(component.revealed()).not.toBeNull();
    jest.advanceTimersByTime(1000);
    expect(component.revealed()).toBeNull();
    expect(text()).toContain('Enter your password');
  });

  it('shows the reason of a refusal and reveals nothing', async () => {
    const { fixture, component, text, http } = render();
    component.password.set('wrong-password-here');
    const done = fixture.componentInstance.reveal();
    http.expectOne(() => true).flush({ detail: 'The password is not correct; the secret was not revealed.' }, { status: 403, statusText: 'Forbidden' });
    await done;
    expect(component.revealed()).toBeNull();
    expect(text()).toContain('The password is not correct; the secret was not revealed.');
  });
});
