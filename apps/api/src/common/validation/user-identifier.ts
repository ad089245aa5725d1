import { registerDecorator, type ValidationOptions } from 'class-validator';
import { hasControlCharacter } from './control-characters';

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

export function IsUserIdentifier(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isUserIdentifier',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => userIdentifierProblem(value) === null,
        defaultMessage: (args) => userIdentifierProblem(args?.value) ?? 'userIdentifier is not valid',
      },
    });
}
