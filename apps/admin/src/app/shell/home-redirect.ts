import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { Session } from '../core/session';

/** `/` goes to the dashboard of the last organization used (or the profile, for a user without one). */
export const homeRedirect: CanActivateFn = () => {
  const membership = inject(Session).membership();
  const router = inject(Router);
  return membership ? router.createUrlTree(['/orgs', membership.organizationId, 'dashboard']) : router.parseUrl('/profile');
};
