import type { Resource } from '@angular/core';

/**
 * A resource's value, or undefined while it loads or after it failed. Angular's `value()` throws in the error
 * state, and a throw inside a template stops the page from rendering at all (an endless loading bar), so
 * templates and computed values read resources through this.
 */
export function loaded<T>(resource: Resource<T>): T | undefined {
  return resource.hasValue() ? resource.value() : undefined;
}
