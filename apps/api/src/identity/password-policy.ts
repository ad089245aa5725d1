import { IdentityError, IdentityErrorCode } from './identity.errors';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** The most common passwords of 12 characters or more in public breach lists: long is not enough. */
const COMMON_PASSWORDS = new Set([
  '123456789012', '1234567890123', '12345678901234', '123123123123', '111111111111', '000000000000',
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password1234!', 'p@ssword1234',
  'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', 'qwertyqwerty', '1q2w3e4r5t6y', '1qaz2wsx3edc',
  'iloveyou1234', 'welcome12345', 'welcome123456', 'letmein12345', 'administrator', 'administrator1',
  'changeme1234', 'abcdefghijkl', 'abc123abc123', 'aaaaaaaaaaaa', 'trustno1trustno1', 'baseball1234',
  'football1234', 'superman1234', 'princess1234', 'sunshine1234', 'monkey123456', 'dragon123456',
  'keyring12345', 'keyringkeyring', 'huggy1234567', 'huggychat123', 'correcthorsebatterystaple',
]);

/** Why a password is refused, as shown beside the field; null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  const normalizedEmail = email.trim().toLowerCase();
  if (lowered === normalizedEmail || lowered === normalizedEmail.split('@')[0]) {
    return 'The password must not be your email address.';
  }
  if (COMMON_PASSWORDS.has(lowered)) return 'This password is too common; choose another.';
  return null;
}

/** Refuses a weak password with the reason beside the password field. */
export function assertStrongPassword(password: string, email: string, field = 'password'): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new IdentityError(IdentityErrorCode.WeakPassword, problem, { errors: [{ field, message: problem }] });
}
