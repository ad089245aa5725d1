import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random bearer token: 32 bytes, base64url. Only its SHA-256 is ever stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares two strings without leaking, through timing, how much of them matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/**
 * The CSRF token of a session, derived from its session token so it needs no storage and can be handed out
 * again by `GET /auth/me`; knowing it tells nothing about the session token.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('keyring-csrf-v1').digest('base64url');
}
