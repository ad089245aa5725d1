import { HttpErrorResponse } from '@angular/common/http';
import type { ProblemDetails } from '@keyring/contracts';

/** What the console shows for a failed call: the API's own words, and per-field messages when it gave them. */
export interface ShownProblem {
  status: number;
  message: string;
  type: string | null;
  fields: Record<string, string>;
}

export function problemOf(error: unknown): ShownProblem {
  // Angular's resource() wraps what is not an Error (an HttpErrorResponse is not) in an error with a cause.
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof HttpErrorResponse) return problemOf(cause);
  if (error instanceof HttpErrorResponse) {
    const body = (typeof error.error === 'string' ? safeParse(error.error) : error.error) as Partial<ProblemDetails> | null;
    if (error.status === 0) {
      return { status: 0, message: 'The server cannot be reached. Check your connection and try again.', type: null, fields: {} };
    }
    const fields: Record<string, string> = {};
    for (const fieldError of body?.errors ?? []) fields[fieldError.field] ??= fieldError.message;
    return { status: error.status, message: body?.detail ?? error.message, type: body?.type ?? null, fields };
  }
  return { status: 0, message: error instanceof Error ? error.message : 'Something went wrong.', type: null, fields: {} };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
