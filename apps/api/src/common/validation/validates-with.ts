import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A class-validator decorator from a function that says what is wrong with a value (null when nothing is). */
export function ValidatesWith(name: string, problemOf: (value: unknown) => string | null, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => problemOf(value) === null,
        defaultMessage: (args) => problemOf(args?.value) ?? `${propertyName} is not valid`,
      },
    });
}
