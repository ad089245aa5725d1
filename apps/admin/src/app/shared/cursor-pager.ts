import { computed, resource, signal } from '@angular/core';
import type { Page } from '@keyring/contracts';

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

/** Rows per page of every list in the console. */
export const PAGE_SIZE = 50;

/** The query parameters that select one page of a keyset-paginated list. */
export type PageQuery = { cursor: string | null; limit: number };

/** A list resource paged by `pager`: reloads when `params` or the page change, and tells the pager the next cursor. */
export function pagedResource<T extends Page<unknown>, P>(pager: CursorPager, params: () => P, load: (params: P, page: PageQuery) => Promise<T>) {
  return resource({
    params: () => ({ params: params(), cursor: pager.cursor() }),
    loader: async ({ params: { params: current, cursor } }) => {
      const page = await load(current, { cursor, limit: PAGE_SIZE });
      pager.next.set(page.nextCursor);
      return page;
    },
  });
}
