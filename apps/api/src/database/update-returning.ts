import type { EntityManager } from 'typeorm';

/**
 * The rows of an `UPDATE … RETURNING` (or `DELETE … RETURNING`). TypeORM's query() answers those with
 * `[rows, affectedCount]` rather than the rows (unlike a SELECT or an INSERT), which is easy to misread as "one row
 * came back".
 */
export async function updateReturning<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = await manager.query<[T[], number]>(sql, params);
  return rows;
}
