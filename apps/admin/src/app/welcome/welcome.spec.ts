import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Welcome } from './welcome';

describe('Welcome', () => {
  function render() {
    TestBed.configureTestingModule({
      imports: [Welcome],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(Welcome);
    fixture.detectChanges();
    const status = () => (fixture.nativeElement as HTMLElement).querySelector('[data-testid="server-status"]')!.textContent!.trim();
    return { fixture, status, http: TestBed.inject(HttpTestingController) };
  }

  it('says the server is ready when /readyz answers', async () => {
    const { fixture, status, http } = render();
    expect(status()).toBe('Checking the server…');
    http.expectOne('/readyz').flush({ status: 'ready' });
    await fixture.whenStable();
    expect(status()).toBe('Server ready: database connected, migrations applied.');
  });

  it('says the server is not ready when /readyz fails', async () => {
    const { fixture, status, http } = render();
    http.expectOne('/readyz').flush({ status: 503 }, { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();
    expect(status()).toContain('not ready');
  });
});
