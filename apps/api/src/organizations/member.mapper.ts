import type { Member } from '@keyring/contracts';
import { scopeIncludes, type Scope } from '../access/scope';
import { iso } from '../common/http/iso';
import type { ListedMember } from './memberships.repository';

/**
 * A member as the libs/contracts type, seen from `scope`: a viewer limited to some tenants sees only those among
 * another member's tenants (the ids of the others are not theirs to know); "all tenants" (null) stays as it is.
 */
export function toMember(member: ListedMember, scope: Scope): Member {
  return {
    userId: member.userId,
    email: member.email,
    role: member.role,
    tenantIds: member.tenantIds && member.tenantIds.filter((tenantId) => scopeIncludes(scope, tenantId)),
    tenants: member.tenants && member.tenants.filter((tenant) => scopeIncludes(scope, tenant.id)),
    createdAt: iso(member.createdAt),
  };
}
