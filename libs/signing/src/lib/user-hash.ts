import {
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
} from 'jose';
import { UserHashError } from './user-hash-error';

/** Which claims a widget's tokens carry. Huggy itself only needs `jti`; the others add replay protection. */
export type UserHashClaims = 'jti' | 'jti+iat' | 'jti+iat+exp';

export const USER_HASH_CLAIMS: readonly UserHashClaims[] = ['jti', 'jti+iat', 'jti+iat+exp'];

export interface SignUserHashOptions {
  claims?: UserHashClaims;
  /** Lifetime of the token when `claims` is `jti+iat+exp`. */
  ttlSeconds?: number;
  /** The signing time; defaults to the current time. Tests pass a fixed one. */
  now?: Date;
}

export interface VerifyUserHashOptions {
  /** The time `exp` is compared with; defaults to the current time. */
  now?: Date;
}

export interface VerifiedUserHash {
  userIdentifier: string;
  issuedAt?: Date;
  expiresAt?: Date;
}

const encoder = new TextEncoder();

/**
 * Signs the Huggy Chat `userHash`: an HS256 JWT with header `{"typ":"JWT","alg":"HS256"}` (in that order,
 * as Huggy's own examples) and payload `{"jti": userIdentifier}`, keyed by the UTF-8 bytes of the secret.
 * Deterministic for the default claims: the same secret and identifier always give the same token.
 */
export async function signUserHash(
  secret: string,
  userIdentifier: string,
  options: SignUserHashOptions = {},
): Promise<string> {
  assertSecret(secret);
  return new SignJWT({ ...userHashPayload(userIdentifier, options) }).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).sign(encoder.encode(secret));
}

/**
 * The payload of a userHash, claims in the order Keyring writes them: `jti`, then `iat` and `exp` when the policy
 * asks for them. Refuses an empty identifier and, with `exp`, a lifetime that is not a positive whole number.
 */
export function userHashPayload(userIdentifier: string, options: SignUserHashOptions = {}): { jti: string; iat?: number; exp?: number } {
  assertUserIdentifier(userIdentifier);
  const claims = options.claims ?? 'jti';
  if (claims === 'jti') return { jti: userIdentifier };
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return claims === 'jti+iat' ? { jti: userIdentifier, iat } : { jti: userIdentifier, iat, exp: iat + assertTtl(options.ttlSeconds) };
}

/**
 * Verifies a userHash made by Keyring or by any other producer (header keys in any order, payload with raw or
 * escaped unicode). Only HS256 is accepted. Throws a {@link UserHashError} that says why a token is refused.
 */
export async function verifyUserHash(
  secret: string,
  userHash: string,
  options: VerifyUserHashOptions = {},
): Promise<VerifiedUserHash> {
  assertSecret(secret);
  if (typeof userHash !== 'string' || userHash.length === 0) {
    throw new UserHashError('malformed', 'The userHash is empty.');
  }
  // Look at the header first so that `alg: none` and friends get their own answer, not a generic one.
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(userHash).alg;
  } catch {
    throw new UserHashError('malformed', 'The userHash is not a JWT (three base64url parts with a JSON header).');
  }
  if (alg !== 'HS256') {
    throw new UserHashError('algorithm', `The userHash uses the algorithm ${JSON.stringify(alg)}; only HS256 is accepted.`);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(userHash, encoder.encode(secret), {
      algorithms: ['HS256'],
      currentDate: options.now,
    }));
  } catch (error) {
    throw fromJoseError(error);
  }
  if (typeof payload.jti !== 'string' || payload.jti.length === 0) {
    throw new UserHashError('claims', 'The userHash has no jti claim holding the user identifier.');
  }
  return {
    userIdentifier: payload.jti,
    ...(payload.iat !== undefined && { issuedAt: new Date(payload.iat * 1000) }),
    ...(payload.exp !== undefined && { expiresAt: new Date(payload.exp * 1000) }),
  };
}

function fromJoseError(error: unknown): UserHashError {
  if (error instanceof joseErrors.JWTExpired) {
    return new UserHashError('expired', 'The userHash has expired.');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new UserHashError('signature', 'The userHash signature does not match this secret.');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new UserHashError('algorithm', 'Only HS256 is accepted.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new UserHashError('claims', `The userHash has an invalid "${error.claim}" claim.`);
  }
  if (error instanceof joseErrors.JOSEError) {
    return new UserHashError('malformed', 'The userHash is not a well-formed JWT.');
  }
  throw error;
}

export function assertSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new UserHashError('input', 'The widget secret must be a non-empty string.');
  }
}

function assertUserIdentifier(userIdentifier: unknown): asserts userIdentifier is string {
  if (typeof userIdentifier !== 'string' || userIdentifier.length === 0) {
    throw new UserHashError('input', 'The userIdentifier must be a non-empty string.');
  }
}

function assertTtl(ttlSeconds: number | undefined): number {
  if (ttlSeconds === undefined || !Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new UserHashError('input', 'ttlSeconds must be a positive whole number when the claims include exp.');
  }
  return ttlSeconds;
}
