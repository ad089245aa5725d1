import { Validators, type AbstractControl, type FormGroup, type ValidationErrors, type ValidatorFn } from '@angular/forms';
import { NOT_BLANK_PATTERN } from '@keyring/contracts';
import type { ShownProblem } from '../core/problem';

/**
 * Puts the API's per-field messages beside their fields (as a `server` error, cleared on the next edit) and
 * returns the message for the rest of the form.
 */
export function showFieldErrors(form: FormGroup, problem: ShownProblem): string | null {
  let unplaced = false;
  for (const [field, message] of Object.entries(problem.fields)) {
    const control = form.get(field);
    if (control) {
      control.setErrors({ server: message });
      control.markAsTouched();
    } else {
      unplaced = true;
    }
  }
  return Object.keys(problem.fields).length === 0 || unplaced ? problem.message : null;
}

/** Refuses a value of only white space, with the API's rule. */
function notBlank(control: AbstractControl<string>): ValidationErrors | null {
  return control.value && !NOT_BLANK_PATTERN.test(control.value) ? { blank: true } : null;
}

/** The rules of every name field: tenants, widgets, API keys. */
export const NAME_VALIDATORS: ValidatorFn[] = [Validators.required, notBlank];

const DEFAULT_MESSAGES: Record<string, string> = { required: 'Required.', blank: 'Must not be blank.' };

/** The message to show under a control: the API's, else the first of the client-side rules. */
export function errorText(form: FormGroup, field: string, messages: Record<string, string> = {}): string {
  const errors = form.get(field)?.errors;
  if (!errors) return '';
  if (errors['server']) return errors['server'];
  const rule = Object.keys(errors)[0];
  return messages[rule] ?? DEFAULT_MESSAGES[rule] ?? 'Not valid.';
}
