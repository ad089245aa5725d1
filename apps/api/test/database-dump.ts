import type { TestDatabase } from './test-database';

/**
 * Every row of every table, as text: what `pg_dump --data-only` would write. (The embedded PostgreSQL ships no
 * pg_dump, and Debian's is older than the server, so the dump is made through SQL.)
 */
export async function dumpAllRows(db: TestDatabase): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    parts.push(`-- ${table_name}`, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}
