import type { FormGroup } from '@angular/forms';
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

/** The message to show under a control: the API's, else the first of the client-side rules. */
export function errorText(form: FormGroup, field: string, messages: Record<string, string> = {}): string {
  const errors = form.get(field)?.errors;
  if (!errors) return '';
  if (errors['server']) return errors['server'];
  const rule = Object.keys(errors)[0];
  return messages[rule] ?? (rule === 'required' ? 'Required.' : 'Not valid.');
}
