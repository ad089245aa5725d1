import type { Principal } from '../access/principal';

/** The tenants a member is limited to, or null for all of them (see memberships.tenant_ids). */
export function tenantScope(principal: Principal): string[] | null {
  return principal.membership?.tenantIds ?? null;
}

export function inScope(scope: string[] | null, tenantId: string): boolean {
  return scope === null || scope.includes(tenantId);
}
