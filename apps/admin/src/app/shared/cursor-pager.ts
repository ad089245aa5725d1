import { computed, effect, resource, signal, untracked } from '@angular/core';
import type { Page } from '@keyring/contracts';

/**
 * Where a pager keeps the cursors of the pages seen, when not in memory: the URL's `pages` query parameter (cursors
 * are base64url, so '.' separates them), so that a reload or a shared link opens the same page and can go back.
 */
export interface PagesInUrl {
  pages: () => string | undefined;
  go: (pages: string | null) => void;
}

/**
 * Previous/next over a keyset-paginated list: the API gives only a cursor to the next page, so the cursors of
 * the pages already seen are kept to go back (in memory, or in the URL).
 */
export class CursorPager {
  private readonly seen = signal<(string | null)[]>([null]);
  private readonly cursors = computed(() => (this.url ? [null, ...(this.url.pages() ?? '').split('.').filter(Boolean)] : this.seen()));
  readonly next = signal<string | null>(null);
  readonly page = computed(() => this.cursors().length);
  readonly cursor = computed(() => this.cursors()[this.cursors().length - 1]);
  readonly hasPrevious = computed(() => this.cursors().length > 1);

  constructor(private readonly url?: PagesInUrl) {}

  forward(): void {
    const next = this.next();
    if (next) this.set([...this.cursors(), next]);
  }

  back(): void {
    if (this.cursors().length > 1) this.set(this.cursors().slice(0, -1));
  }

  reset(): void {
    this.set([null]);
  }

  private set(cursors: (string | null)[]): void {
    if (this.url) this.url.go(cursors.slice(1).join('.') || null);
    else this.seen.set(cursors);
  }
}

/** Rows per page of every list in the console. */
export const PAGE_SIZE = 50;

/** The query parameters that select one page of a keyset-paginated list. */
export type PageQuery = { cursor: string | null; limit: number };

/**
 * A list resource paged by `pager`: reloads when `params` or the page change, and tells the pager the next cursor.
 * Other params (a filter, another tenant) start again at page 1: a cursor is a position in the list it came from.
 */
export function pagedResource<T extends Page<unknown>, P>(pager: CursorPager, params: () => P, load: (params: P, page: PageQuery) => Promise<T>) {
  let previous: string | undefined;
  effect(() => {
    const current = JSON.stringify(params());
    if (previous !== undefined && current !== previous && untracked(pager.hasPrevious)) untracked(() => pager.reset());
    previous = current;
  });
  return resource({
    params: () => ({ params: params(), cursor: pager.cursor() }),
    loader: async ({ params: { params: current, cursor } }) => {
      const page = await load(current, { cursor, limit: PAGE_SIZE });
      pager.next.set(page.nextCursor);
      return page;
    },
  });
}
