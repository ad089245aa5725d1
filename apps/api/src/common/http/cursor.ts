import { BadRequestException } from '@nestjs/common';

/** Keyset pagination cursors: the sort key of the last item, opaque to clients. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity) return key;
  } catch {
    // fall through
  }
  throw new BadRequestException({
    type: 'urn:keyring:problem:validation',
    detail: 'cursor is not a cursor returned by this list; start again without it.',
    errors: [{ field: 'cursor', message: 'cursor is not valid' }],
  });
}

/**
 * A page of a keyset-paginated list from `limit + 1` rows: the extra row only says whether there is a next page,
 * whose cursor is the sort key of the page's last item.
 */
export function keysetPage<T>(rows: T[], limit: number, keyOf: (item: T) => unknown[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** The same page with each item mapped (to its contract type). */
export function mapPage<T, U>(page: { items: T[]; nextCursor: string | null }, map: (item: T) => U): { items: U[]; nextCursor: string | null } {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
