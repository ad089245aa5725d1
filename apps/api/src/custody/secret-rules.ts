import type { ValidationOptions } from 'class-validator';
import { hasControlCharacter } from '../common/validation/control-characters';
import { ValidatesWith } from '../common/validation/validates-with';

export const SECRET_MIN_LENGTH = 8;
export const SECRET_MAX_LENGTH = 512;

/**
 * Why a pasted widget secret is refused, or null. White space at either end is refused, never trimmed: a
 * pasted newline is the classic mistake, and a silently changed secret would sign tokens Huggy rejects.
 */
export function secretProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'secret must be a string';
  if (value.length < SECRET_MIN_LENGTH || value.length > SECRET_MAX_LENGTH) {
    return `secret must have ${SECRET_MIN_LENGTH} to ${SECRET_MAX_LENGTH} characters`;
  }
  if (/^\s|\s$/.test(value)) {
    return 'secret starts or ends with white space (a pasted newline or space?); remove it, Keyring never trims a secret';
  }
  if (hasControlCharacter(value)) return 'secret must not contain control characters';
  return null;
}

export const IsWidgetSecret = (options?: ValidationOptions) => ValidatesWith('isWidgetSecret', secretProblem, options);
