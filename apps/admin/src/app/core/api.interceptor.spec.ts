import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { apiInterceptor } from './api.interceptor';
import { Session } from './session';

describe('apiInterceptor', () => {
  function setUp() {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(withInterceptors([apiInterceptor])), provideHttpClientTesting()] });
    const session = TestBed.inject(Session);
    session.signedIn({ user: { id: 'u', email: 'a@b.example', totpEnabled: false }, memberships: [], csrfToken: 'csrf-123' });
    const router = TestBed.inject(Router);
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    return { http: TestBed.inject(HttpClient), backend: TestBed.inject(HttpTestingController), session, navigate };
  }

  it('adds the CSRF token to state-changing API calls only', () => {
    const { http, backend } = setUp();
    http.post('/api/v1/orgs/o/tenants', { name: 'x' }).subscribe();
    http.get('/api/v1/orgs').subscribe();
    expect(backend.expectOne('/api/v1/orgs/o/tenants').request.headers.get('X-CSRF-Token')).toBe('csrf-123');
    expect(backend.expectOne('/api/v1/orgs').request.headers.has('X-CSRF-Token')).toBe(false);
  });

  it('sends the user to the login page when the session is gone, and forgets it', async () => {
    const { http, backend, session, navigate } = setUp();
    const call = firstValueFrom(http.get('/api/v1/orgs/o/widgets'));
    backend.expectOne('/api/v1/orgs/o/widgets').flush({ detail: 'Sign in first' }, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { returnUrl: '/' } });
    expect(session.user()).toBeNull();
  });

  it('leaves a failed sign-in to the login form', async () => {
    const { http, backend, navigate } = setUp();
    const call = firstValueFrom(http.post('/api/v1/auth/login', {}));
    backend.expectOne('/api/v1/auth/login').flush({ detail: 'The email or password is not correct.' }, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(navigate).not.toHaveBeenCalled();
  });
});
