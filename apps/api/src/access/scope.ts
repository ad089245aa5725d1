declare const BUILT_HERE: unique symbol;

/**
 * Whose data a request may touch: one organization, and either all of its tenants or a list of them. The access
 * guard builds it once per request (the tenant API builds one from the API key); every repository method that
 * reads or writes organization data requires it and puts it in its SQL. Only this module can make one (the brand
 * is not exported), so a query without a scope, or with a hand-made "all tenants", does not compile.
 */
export interface Scope {
  readonly organizationId: string;
  readonly tenants: 'all' | readonly string[];
  /** The member acting, for the audit events about themselves; null for an API key. */
  readonly userId: string | null;
  readonly [BUILT_HERE]: true;
}

function scope(organizationId: string, tenants: 'all' | readonly string[], userId: string | null): Scope {
  return Object.freeze({ organizationId, tenants: tenants === 'all' ? tenants : Object.freeze([...tenants]), userId }) as Scope;
}

/** A member's scope: `tenantIds` null means every tenant of the organization (memberships.tenant_ids). */
export function memberScope(organizationId: string, userId: string, tenantIds: readonly string[] | null): Scope {
  return scope(organizationId, tenantIds ?? 'all', userId);
}

/** An API key acts for its one tenant. */
export function apiKeyScope(organizationId: string, tenantId: string): Scope {
  return scope(organizationId, [tenantId], null);
}

/** The scope's tenants as a SQL parameter: `($n::uuid[] IS NULL OR tenant_id = ANY($n))`, null standing for 'all'. */
export function tenantIdsParam(scope: Scope): string[] | null {
  return scope.tenants === 'all' ? null : [...scope.tenants];
}

export function scopeIncludes(scope: Scope, tenantId: string): boolean {
  return scope.tenants === 'all' || scope.tenants.includes(tenantId);
}

/**
 * Another member's tenant ids as `scope` may see them: a viewer limited to some tenants sees only those among them
 * (the ids of the others are not theirs to know); "all tenants" (null) stays as it is.
 */
export function visibleTenantIds(scope: Scope, tenantIds: readonly string[] | null): string[] | null {
  return tenantIds && tenantIds.filter((tenantId) => scopeIncludes(scope, tenantId));
}

/** The operator's commands (audit-verify) act on a whole organization, outside any request. */
export function operatorScope(organizationId: string): Scope {
  return scope(organizationId, 'all', null);
}
