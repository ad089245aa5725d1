import { computed, signal } from '@angular/core';

/**
 * Previous/next over a keyset-paginated list: the API gives only a cursor to the next page, so the cursors of
 * the pages already seen are kept to go back.
 */
export class CursorPager {
  private readonly cursors = signal<(string | null)[]>([null]);
  readonly next = signal<string | null>(null);
  readonly page = computed(() => this.cursors().length);
  readonly cursor = computed(() => this.cursors()[this.cursors().length - 1]);
  readonly hasPrevious = computed(() => this.cursors().length > 1);

  forward(): void {
    const next = this.next();
    if (next) this.cursors.update((cursors) => [...cursors, next]);
  }

  back(): void {
    this.cursors.update((cursors) => (cursors.length > 1 ? cursors.slice(0, -1) : cursors));
  }

  reset(): void {
    this.cursors.set([null]);
  }
}
