/**
 * Why a userHash could not be produced or was rejected. Callers map the code, never the message,
 * to their own error model (HTTP status, verify `reason`, console text).
 */
export type UserHashErrorCode =
  | 'input' // the caller passed something that can never be signed (empty secret, bad identifier)
  | 'malformed' // not a compact JWS with JSON header and payload
  | 'algorithm' // anything but HS256, including `none`
  | 'signature' // HMAC does not match this secret
  | 'claims' // `jti` missing or not a string, or a malformed `iat`/`exp`
  | 'expired'; // `exp` is in the past

export class UserHashError extends Error {
  constructor(
    readonly code: UserHashErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserHashError';
  }
}
