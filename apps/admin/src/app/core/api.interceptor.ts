import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { Session } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Calls whose 401 means "wrong credentials", not "session gone". */
const SIGN_IN_CALLS = ['/api/v1/auth/login', '/api/v1/auth/me', '/api/v1/setup'];

/**
 * Adds the CSRF token to every state-changing API call, and sends the user to the login page (coming back
 * afterwards) when the API says the session is gone.
 */
export const apiInterceptor: HttpInterceptorFn = (request, next) => {
  const session = inject(Session);
  const router = inject(Router);
  const csrfToken = session.csrfToken();
  const withCsrf =
    !SAFE_METHODS.has(request.method) && csrfToken && request.url.startsWith('/api/') ? request.clone({ setHeaders: { 'X-CSRF-Token': csrfToken } }) : request;
  return next(withCsrf).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && !SIGN_IN_CALLS.some((url) => request.url.startsWith(url))) {
        session.clear();
        void router.navigate(['/login'], { queryParams: { returnUrl: router.url } });
      }
      return throwError(() => error);
    }),
  );
};
