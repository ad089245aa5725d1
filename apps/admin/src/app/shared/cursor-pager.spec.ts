import { CursorPager } from './cursor-pager';

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
});
