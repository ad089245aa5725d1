import type { Role } from '@keyring/contracts';

/**
 * The organizations a user belongs to, for the session view. Memberships are organizations' data, a layer above:
 * app.module binds this to organizations' Memberships, so that identity imports nothing of it.
 */
export abstract class MembershipDirectory {
  abstract listForUser(userId: string): Promise<{ organizationId: string; organizationName: string; role: Role }[]>;
}
