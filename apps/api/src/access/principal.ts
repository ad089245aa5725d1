import type { Role } from '@keyring/contracts';

export interface Principal {
  userId: string;
  email: string;
  sessionId: string;
  /** Present on organization routes: the caller's membership in `:orgId`. */
  membership?: {
    organizationId: string;
    role: Role;
    /** null: every tenant of the organization. */
    tenantIds: string[] | null;
  };
}
