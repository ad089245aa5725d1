import type { Member } from '@keyring/contracts';
import { scopeIncludes, visibleTenantIds, type Scope } from '../access/scope';
import { iso } from '../common/http/iso';
import type { ListedMember } from './memberships.repository';

/**
 * A member as the libs/contracts type, seen from `scope` (see visibleTenantIds).
 */
export function toMember(member: ListedMember, scope: Scope): Member {
  return {
    userId: member.userId,
    email: member.email,
    role: member.role,
    tenantIds: visibleTenantIds(scope, member.tenantIds),
    tenants: member.tenants && member.tenants.filter((tenant) => scopeIncludes(scope, tenant.id)),
    createdAt: iso(member.createdAt),
  };
}
