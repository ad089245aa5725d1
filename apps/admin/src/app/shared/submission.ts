import { signal } from '@angular/core';
import type { FormGroup } from '@angular/forms';
import { problemOf } from '../core/problem';
import { showFieldErrors } from './forms';

/**
 * One form's submission: refuses an invalid form (showing its errors), marks it busy while the call runs, and puts
 * the API's refusal beside the fields or, when no field is named, in `message`.
 */
export class Submission {
  readonly busy = signal(false);
  readonly message = signal<string | null>(null);

  constructor(private readonly form?: FormGroup) {}

  async run(call: () => Promise<unknown>): Promise<void> {
    if (this.form?.invalid) return this.form.markAllAsTouched();
    this.busy.set(true);
    this.message.set(null);
    try {
      await call();
    } catch (error) {
      const problem = problemOf(error);
      this.message.set(this.form ? showFieldErrors(this.form, problem) : problem.message);
    } finally {
      this.busy.set(false);
    }
  }
}
