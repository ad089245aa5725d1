import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { Api } from './api';
import { Session } from './session';

/** Signed-in pages: without a session, the login page (or first-run setup when nobody exists yet). */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  // Everything injected before the first await: inject() works only synchronously.
  const session = inject(Session);
  const router = inject(Router);
  const api = inject(Api);
  if (await session.load()) return true;
  const { required } = await api.get<{ required: boolean }>('/setup');
  return required ? router.parseUrl('/setup') : router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Organization pages: the member's organization becomes the current one; others go to the first one. */
export const organizationGuard: CanActivateFn = (route) => {
  const session = inject(Session);
  const organizationId = route.paramMap.get('orgId');
  if (session.memberships().some((m) => m.organizationId === organizationId)) {
    session.selectOrganization(organizationId!);
    return true;
  }
  const first = session.membership();
  return first ? inject(Router).createUrlTree(['/orgs', first.organizationId, 'dashboard']) : inject(Router).parseUrl('/profile');
};
