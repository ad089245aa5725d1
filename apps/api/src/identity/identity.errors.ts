import { DomainError } from '../common/problem/domain-error';

export enum IdentityErrorCode {
  SetupAlreadyDone = 'setup-already-done',
  SetupTokenInvalid = 'setup-token-invalid',
  WeakPassword = 'weak-password',
  InvalidCredentials = 'invalid-credentials',
  WrongPassword = 'wrong-password',
  LoginThrottled = 'login-throttled',
  ReauthenticationThrottled = 'reauthentication-throttled',
  EmailTaken = 'email-taken',
  TotpRequired = 'totp-required',
  TotpInvalid = 'totp-invalid',
  WrongTotpCode = 'wrong-totp-code',
  TotpAlreadyOn = 'totp-already-on',
  TotpNotStarted = 'totp-not-started',
}

const STATUS: Record<IdentityErrorCode, number> = {
  [IdentityErrorCode.SetupAlreadyDone]: 409,
  [IdentityErrorCode.SetupTokenInvalid]: 403,
  [IdentityErrorCode.WeakPassword]: 400,
  [IdentityErrorCode.InvalidCredentials]: 401,
  [IdentityErrorCode.WrongPassword]: 403,
  [IdentityErrorCode.LoginThrottled]: 429,
  [IdentityErrorCode.ReauthenticationThrottled]: 429,
  [IdentityErrorCode.EmailTaken]: 409,
  [IdentityErrorCode.TotpRequired]: 401,
  [IdentityErrorCode.TotpInvalid]: 401,
  // A signed-in user's wrong code (enrolment, turning 2FA off): a field error, not an expired session.
  [IdentityErrorCode.WrongTotpCode]: 400,
  [IdentityErrorCode.TotpAlreadyOn]: 409,
  [IdentityErrorCode.TotpNotStarted]: 409,
};

export class IdentityError extends DomainError<IdentityErrorCode> {
  get status(): number {
    return STATUS[this.code];
  }
}

/** A signed-in user's wrong password: a field error (403), never a 401 that would look like an expired session. */
export function wrongPassword(field: string, message: string): IdentityError {
  return new IdentityError(IdentityErrorCode.WrongPassword, message, { errors: [{ field, message }] });
}
