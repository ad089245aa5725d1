import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@keyring/contracts';
import type { ProblemOverrides } from '../problem/problem-details.filter';

/** Rejects unknown fields and reports each invalid one by its path, for the console to show beside the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      const problem: ProblemOverrides = {
        type: 'urn:keyring:problem:validation',
        detail: fieldErrors.map((error) => error.message).join('; ') || 'The request is not valid.',
        errors: fieldErrors,
      };
      return new BadRequestException(problem);
    },
  });
}

export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}
