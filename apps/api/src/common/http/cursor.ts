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
