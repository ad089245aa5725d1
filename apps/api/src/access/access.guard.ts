import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { MembershipLookup, SESSION_COOKIE, SessionLookup } from './access-lookups';
import { ACCESS_RULE, type AccessRule } from './access.decorators';
import { AccessError, AccessErrorCode } from './access.errors';
import { roleAllows, UUID_PATTERN } from '@keyring/contracts';
import { ANONYMOUS, requestContext } from './request-context';
import { memberScope } from './scope';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one place that decides who may call what. Deny by default: a route without an access rule is refused.
 * Organization routes answer 404 to non-members, so that another organization's ids reveal nothing.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionLookup,
    private readonly memberships: MembershipLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<Request>();
    if (!rule) {
      throw new AccessError(AccessErrorCode.NoAccessRule, 'This route declares no access rule, so it is refused.');
    }
    if (rule.kind === 'public') {
      req.keyringContext = requestContext(req, ANONYMOUS);
      return true;
    }

    const token: unknown = req.cookies?.[SESSION_COOKIE];
    const session = typeof token === 'string' && token.length > 0 ? await this.sessions.find(token) : null;
    if (!session) {
      throw new AccessError(AccessErrorCode.NotSignedIn, 'Sign in first: there is no valid session (it may have expired).');
    }
    if (!SAFE_METHODS.has(req.method)) {
      const csrf = req.headers['x-csrf-token'];
      if (typeof csrf !== 'string' || !this.sessions.csrfTokenMatches(token as string, csrf)) {
        throw new AccessError(
          AccessErrorCode.CsrfTokenInvalid,
          'Missing or wrong X-CSRF-Token header: send the csrfToken returned by login or GET /api/v1/auth/me.',
        );
      }
    }
    req.principal = { userId: session.userId, email: session.email, sessionId: session.sessionId };
    req.keyringContext = requestContext(req, { type: 'user', id: session.userId, label: session.email });
    if (rule.kind === 'session') return true;

    const organizationId = req.params['orgId'];
    const membership =
      typeof organizationId === 'string' && UUID_PATTERN.test(organizationId)
        ? await this.memberships.find(organizationId, session.userId)
        : null;
    if (!membership) {
      throw new AccessError(AccessErrorCode.OrganizationNotFound, 'No such organization.');
    }
    if (!roleAllows(membership.role, rule.permission)) {
      throw new AccessError(
        AccessErrorCode.RoleForbidden,
        `Your role (${membership.role}) does not allow this: it needs the ${rule.permission} permission.`,
      );
    }
    req.scope = memberScope(membership.organizationId, session.userId, membership.tenantIds);
    return true;
  }
}
