import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CustodyError, CustodyErrorCode } from './custody.errors';

export interface TenantView {
  id: string;
  name: string;
  widgetCount: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

const COLUMNS = `t.id, t.name, t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.archived_at AS "archivedAt",
  (SELECT count(*)::int FROM widgets w WHERE w.tenant_id = t.id AND w.archived_at IS NULL) AS "widgetCount"`;

/** Substring search: `%`, `_` and `\` in the query are literal characters. */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

@Injectable()
export class TenantsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(manager: EntityManager, organizationId: string, name: string): Promise<TenantView> {
    const [row] = await this.uniqueName(name, () =>
      manager.query(
        `WITH t AS (INSERT INTO tenants (organization_id, name) VALUES ($1, $2) RETURNING *)
         SELECT ${COLUMNS} FROM t`,
        [organizationId, name],
      ),
    );
    return row;
  }

  async find(organizationId: string, id: string, manager: EntityManager = this.db.manager): Promise<TenantView | null> {
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM tenants t WHERE t.organization_id = $1 AND t.id = $2`, [organizationId, id]);
    return row ?? null;
  }

  /** Keyset page ordered by name; `scope` limits it to some tenants. */
  async list(
    organizationId: string,
    options: { q?: string; scope: string[] | null; includeArchived: boolean },
    limit: number,
    after?: { name: string; id: string },
  ): Promise<TenantView[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM tenants t
        WHERE t.organization_id = $1
          AND ($2::text IS NULL OR lower(t.name) LIKE $2)
          AND ($3::uuid[] IS NULL OR t.id = ANY($3))
          AND ($4 OR t.archived_at IS NULL)
          AND ($5::text IS NULL OR (lower(t.name), t.id) > (lower($5::text), $6::uuid))
        ORDER BY lower(t.name), t.id
        LIMIT $7`,
      [
        organizationId,
        options.q ? likePattern(options.q) : null,
        options.scope,
        options.includeArchived,
        after?.name ?? null,
        after?.id ?? null,
        limit,
      ],
    );
  }

  async rename(manager: EntityManager, organizationId: string, id: string, name: string): Promise<void> {
    await this.uniqueName(name, () =>
      manager.query('UPDATE tenants SET name = $3, updated_at = now() WHERE organization_id = $1 AND id = $2', [organizationId, id, name]),
    );
  }

  async archive(manager: EntityManager, organizationId: string, id: string): Promise<void> {
    await manager.query(
      'UPDATE tenants SET archived_at = now(), updated_at = now() WHERE organization_id = $1 AND id = $2 AND archived_at IS NULL',
      [organizationId, id],
    );
  }

  /** Names are unique among live tenants; the unique index decides. */
  private async uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new CustodyError(CustodyErrorCode.TenantNameTaken, `A tenant named "${name}" already exists.`);
      }
      throw error;
    }
  }
}
