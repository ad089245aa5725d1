import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@keyring/contracts';
import type { ProblemOverrides } from '../problem/problem-document';

/** Rejects unknown fields and reports each invalid one by its path, for the console to show beside the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationProblem(toFieldErrors(errors)),
  });
}

/** A 400 listing each invalid field, for the console to show beside the field. */
export function validationProblem(fieldErrors: FieldError[]): BadRequestException {
  const problem: ProblemOverrides = {
    type: 'urn:keyring:problem:validation',
    detail: fieldErrors.map((error) => error.message).join('; ') || 'The request is not valid.',
    errors: fieldErrors,
  };
  return new BadRequestException(problem);
}

/** Rules about what a value is come before rules about its size: "must be a string" says more than "too long". */
const FUNDAMENTAL_RULES = ['whitelistValidation', 'isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isIn', 'isUuid', 'isEmail', 'isDateString'];

/** One message per invalid field, the most fundamental rule it breaks, with the field's dotted path. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const rule = FUNDAMENTAL_RULES.find((name) => name in constraints) ?? Object.keys(constraints)[0];
    const own = rule ? [{ field, message: constraints[rule] }] : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}
