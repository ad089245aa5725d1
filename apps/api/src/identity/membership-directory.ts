import type { Role } from '@keyring/contracts';

/**
 * The organizations a user belongs to, for the session view. Organizations provides it (memberships are its data),
 * so that identity, below it, imports nothing of it.
 */
export abstract class MembershipDirectory {
  abstract listForUser(userId: string): Promise<{ organizationId: string; organizationName: string; role: Role }[]>;
}
