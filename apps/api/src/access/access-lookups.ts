import type { Role } from '@keyring/contracts';

/**
 * What the access guard needs from the features above it, as abstract classes that identity and organizations
 * provide: access stays below every feature and imports none of them.
 */
export abstract class SessionLookup {
  /** The live session of a session token, or null. */
  abstract find(token: string): Promise<{ userId: string; email: string; sessionId: string } | null>;
  /** Whether `csrfToken` is the one that goes with the session token. */
  abstract csrfTokenMatches(sessionToken: string, csrfToken: string): boolean;
}

export abstract class MembershipLookup {
  /** The user's membership in the organization, or null for an organization they are not in (or that is not). */
  abstract find(organizationId: string, userId: string): Promise<{ organizationId: string; role: Role; tenantIds: string[] | null } | null>;
}

/** The session cookie: set by identity at sign-in, read by the guard on every request. */
export const SESSION_COOKIE = 'keyring_session';
