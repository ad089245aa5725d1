import type { EntityManager } from 'typeorm';

/** How many secret versions each master key wraps (through the index on master_key_id). */
export async function secretVersionKeyUsage(manager: EntityManager): Promise<Map<string, number>> {
  const rows = await manager.query<{ keyId: string; count: number }[]>(
    'SELECT master_key_id AS "keyId", count(*)::int AS count FROM secret_versions WHERE ciphertext IS NOT NULL GROUP BY 1',
  );
  return new Map(rows.map((row) => [row.keyId, row.count]));
}
