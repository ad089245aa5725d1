import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CursorPager, pagedResource } from './cursor-pager';

describe('CursorPager', () => {
  it('goes forward with the next cursor and back through the ones seen', () => {
    const pager = new CursorPager();
    expect([pager.cursor(), pager.page(), pager.hasPrevious()]).toEqual([null, 1, false]);
    pager.next.set('c2');
    pager.forward();
    pager.next.set('c3');
    pager.forward();
    expect([pager.cursor(), pager.page()]).toEqual(['c3', 3]);
    pager.back();
    expect(pager.cursor()).toBe('c2');
    pager.reset();
    expect([pager.cursor(), pager.page()]).toEqual([null, 1]);
  });

  it('does not move past the last page', () => {
    const pager = new CursorPager();
    pager.forward();
    expect(pager.page()).toBe(1);
  });

  it('keeps the cursors in the URL when given one, and reads the page back from it', () => {
    const url = signal<string | undefined>('c2.c3');
    const pager = new CursorPager({ pages: url, go: (pages) => url.set(pages ?? undefined) });
    expect([pager.cursor(), pager.page()]).toEqual(['c3', 3]);
    pager.next.set('c4');
    pager.forward();
    expect(url()).toBe('c2.c3.c4');
    pager.back();
    pager.back();
    expect([url(), pager.cursor(), pager.hasPrevious()]).toEqual(['c2', 'c2', true]);
    pager.reset();
    expect([url(), pager.cursor(), pager.page()]).toEqual([undefined, null, 1]);
  });

  it('starts again at page 1 when the list it pages changes (a cursor is a position in that list only)', async () => {
    const filter = signal('tenant-a');
    const asked: [string, string | null][] = [];
    const pager = new CursorPager();
    const list = TestBed.runInInjectionContext(() =>
      pagedResource(pager, () => filter(), async (tenant, page) => {
        asked.push([tenant, page.cursor]);
        return { items: [], nextCursor: `${tenant}-next` };
      }),
    );
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve));
    pager.forward();
    TestBed.tick();
    expect(pager.page()).toBe(2);
    filter.set('tenant-b');
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve));
    expect([pager.page(), pager.cursor()]).toEqual([1, null]);
    expect(asked.at(-1)).toEqual(['tenant-b', null]);
    expect(list.value()?.nextCursor).toBe('tenant-b-next');
  });
});
