import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Permission } from '@keyring/contracts';
import type { Principal } from './principal';
import type { RequestContext } from './request-context';
import type { Scope } from './scope';
import { AccessError, AccessErrorCode } from './access.errors';

/**
 * How a route is reached. Every route declares one; the guard refuses a route that declares none. (The tenant
 * API's user-hash routes, reached with an API key, are lean routes outside Nest: see UserHashRoutes.)
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'session' }
  | { kind: 'organization'; permission: Permission };

export const ACCESS_RULE = 'keyring:access-rule';

/** Anyone, signed in or not: health, setup, login. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, outside any organization: their own profile and session. */
export const SignedIn = () => applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'session' } satisfies AccessRule), ApiCookieAuth('session'));

/** A member of the organization in the route's `:orgId` whose role holds `permission`. */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'organization', permission } satisfies AccessRule),
    // The OpenAPI document says who may call it.
    ApiCookieAuth('session'),
    ApiOperation({ description: `Needs the \`${permission}\` permission in the organization.` }),
  );

/** The signed-in user (and their membership on organization routes), set by the AccessGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<Request>().principal!,
);

/** Actor, IP, user agent and request id of this request, for the audit log. */
export const Context = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): RequestContext => ctx.switchToHttp().getRequest<Request>().keyringContext!,
);

/** The caller's scope, built by the AccessGuard on organization routes; refused (deny by default) where there is none. */
export const CurrentScope = createParamDecorator((_data: unknown, ctx: ExecutionContext): Scope => {
  const scope = ctx.switchToHttp().getRequest<Request>().scope;
  if (!scope) throw new AccessError(AccessErrorCode.NoScope, 'This route has no organization scope, so it is refused.');
  return scope;
});
