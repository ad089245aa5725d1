import type { ValidationOptions } from 'class-validator';
import { hasControlCharacter } from '@keyring/contracts';
import { ValidatesWith } from './validates-with';

export const USER_IDENTIFIER_MAX_LENGTH = 512;

/** Why a Huggy userIdentifier is refused, or null. It is never altered: no trimming, no normalization. */
export function userIdentifierProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'userIdentifier must be a string';
  if (value.length === 0 || value.length > USER_IDENTIFIER_MAX_LENGTH) {
    return `userIdentifier must have 1 to ${USER_IDENTIFIER_MAX_LENGTH} characters`;
  }
  if (value.trim().length === 0) return 'userIdentifier must not be only white space';
  if (hasControlCharacter(value)) return 'userIdentifier must not contain control characters';
  return null;
}

export const IsUserIdentifier = (options?: ValidationOptions) => ValidatesWith('isUserIdentifier', userIdentifierProblem, options);
