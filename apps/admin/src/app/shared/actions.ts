import type { MatSnackBar } from '@angular/material/snack-bar';
import { problemOf } from '../core/problem';

/** Runs a one-click action and says how it went in a snack bar: `done` on success, the API's words otherwise. */
export async function runAction(snackBar: MatSnackBar, call: () => Promise<unknown>, done: string): Promise<boolean> {
  try {
    await call();
    snackBar.open(done, undefined, { duration: 4000 });
    return true;
  } catch (error) {
    snackBar.open(problemOf(error).message, 'Close');
    return false;
  }
}
