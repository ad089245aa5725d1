import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKeyPrincipal, ApiKeyScope } from '../tenant-api/api-keys.repository';
import type { Permission } from './permissions';
import type { Principal } from './principal';
import type { RequestContext } from './request-context';

/** How a route is reached. Every route declares one; the guard refuses a route that declares none. */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'session' }
  | { kind: 'organization'; permission: Permission }
  | { kind: 'api-key'; scope: ApiKeyScope };

export const ACCESS_RULE = 'keyring:access-rule';

/** Anyone, signed in or not: health, setup, login. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, outside any organization: their own profile and session. */
export const SignedIn = () => SetMetadata(ACCESS_RULE, { kind: 'session' } satisfies AccessRule);

/** A member of the organization in the route's `:orgId` whose role holds `permission`. */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(ACCESS_RULE, { kind: 'organization', permission } satisfies AccessRule);

/** A tenant's backend holding an API key with `scope` (`Authorization: Bearer kr_…`); no cookie, no CSRF. */
export const RequireApiKey = (scope: ApiKeyScope) => SetMetadata(ACCESS_RULE, { kind: 'api-key', scope } satisfies AccessRule);

/** The API key of a tenant-API request, set by the AccessGuard. */
export const CurrentApiKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): ApiKeyPrincipal => ctx.switchToHttp().getRequest<Request>().apiKey!,
);

/** The signed-in user (and their membership on organization routes), set by the AccessGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<Request>().principal!,
);

/** Actor, IP, user agent and request id of this request, for the audit log. */
export const Context = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): RequestContext => ctx.switchToHttp().getRequest<Request>().keyringContext!,
);
