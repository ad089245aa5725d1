import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning';
import { tenantIdsParam, type Scope } from '../access/scope';
import type { TenantSummary } from '@keyring/contracts';
import { CustodyError, CustodyErrorCode } from './custody.errors';

export interface TenantView {
  id: string;
  name: string;
  widgetCount: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

/**
 * The widget count is the tenant's counter (CountWidgetsPerTenant, its live widgets): a page of 50 tenants no longer
 * counts their widgets one by one (5,000 rows a page at 100 widgets each in #14's benchmark).
 */
const COLUMNS = `t.id, t.name, t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.archived_at AS "archivedAt",
  COALESCE((SELECT c.live FROM tenant_widget_counts c WHERE c.tenant_id = t.id), 0) AS "widgetCount"`;

/** The scope in SQL: $1 the organization, $2 its tenants (null for all). */
const IN_SCOPE = 't.organization_id = $1 AND ($2::uuid[] IS NULL OR t.id = ANY($2))';
const scopeParams = (scope: Scope) => [scope.organizationId, tenantIdsParam(scope)];

/**
 * Substring search: `%`, `_` and `\` in the query are literal characters. Compare it with `keyring_fold(pattern)`
 * against a folded column (`search_name`), so that case and accents do not matter.
 */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

@Injectable()
export class TenantsRepository {
  constructor(private readonly db: DataSource) {}

  /** Only a scope over every tenant may add one (the service refuses the others first). */
  async insert(manager: EntityManager, scope: Scope, name: string): Promise<TenantView> {
    const [row] = await this.uniqueName(name, () =>
      manager.query<TenantView[]>(
        `WITH t AS (INSERT INTO tenants (organization_id, name) SELECT $1, $3 WHERE $2::uuid[] IS NULL RETURNING *)
         SELECT ${COLUMNS} FROM t`,
        [...scopeParams(scope), name],
      ),
    );
    return row;
  }

  async find(scope: Scope, id: string, manager: EntityManager = this.db.manager): Promise<TenantView | null> {
    const [row] = await manager.query<TenantView[]>(`SELECT ${COLUMNS} FROM tenants t WHERE ${IN_SCOPE} AND t.id = $3`, [...scopeParams(scope), id]);
    return row ?? null;
  }

  /** The tenant with its row locked until the transaction ends: the base of every read-modify-write. */
  async lock(manager: EntityManager, scope: Scope, id: string): Promise<TenantView | null> {
    const [locked] = await manager.query<{ id: string }[]>(`SELECT t.id FROM tenants t WHERE ${IN_SCOPE} AND t.id = $3 FOR UPDATE`, [...scopeParams(scope), id]);
    return locked ? this.find(scope, id, manager) : null;
  }

  /**
   * What archiving the tenant stops (null when it is out of the scope): its live widgets, its working API keys, and
   * the members limited to it (those whose every other tenant is archived are left with nothing). The keys and
   * memberships are read here rather than asked of their features, which sit above custody: counts only, no rows.
   */
  async summary(scope: Scope, id: string): Promise<Omit<TenantSummary, 'tenantId'> | null> {
    const [row] = await this.db.query<Omit<TenantSummary, 'tenantId'>[]>(
      `SELECT
         (SELECT count(*)::int FROM widgets w WHERE w.organization_id = $1 AND w.tenant_id = t.id AND w.archived_at IS NULL) AS widgets,
         (SELECT count(*)::int FROM widgets w WHERE w.organization_id = $1 AND w.tenant_id = t.id AND w.archived_at IS NULL
             AND w.active_version IS NOT NULL) AS "widgetsWithSecret",
         (SELECT count(*)::int FROM api_keys k WHERE k.organization_id = $1 AND k.tenant_id = t.id AND k.revoked_at IS NULL
             AND (k.expires_at IS NULL OR k.expires_at > now())) AS "activeApiKeys",
         (SELECT count(*)::int FROM memberships m WHERE m.organization_id = $1 AND t.id = ANY(m.tenant_ids)) AS "membersLimitedHere",
         (SELECT count(*)::int FROM memberships m WHERE m.organization_id = $1 AND t.id = ANY(m.tenant_ids)
             AND NOT EXISTS (SELECT 1 FROM tenants o WHERE o.organization_id = $1 AND o.id = ANY(m.tenant_ids) AND o.id <> t.id
                               AND o.archived_at IS NULL)) AS "membersOnlyHere"
         FROM tenants t WHERE ${IN_SCOPE} AND t.id = $3`,
      [...scopeParams(scope), id],
    );
    return row ?? null;
  }

  /** Keyset page ordered by name. */
  async list(scope: Scope, options: { q?: string; includeArchived: boolean }, limit: number, after?: { name: string; id: string }): Promise<TenantView[]> {
    return this.db.query<TenantView[]>(
      `SELECT ${COLUMNS} FROM tenants t
        WHERE ${IN_SCOPE}
          AND ($3::text IS NULL OR t.search_name LIKE keyring_fold($3))
          AND ($4 OR t.archived_at IS NULL)
          AND ($5::text IS NULL OR (lower(t.name), t.id) > (lower($5::text), $6::uuid))
        ORDER BY lower(t.name), t.id
        LIMIT $7`,
      [...scopeParams(scope), options.q ? likePattern(options.q) : null, options.includeArchived, after?.name ?? null, after?.id ?? null, limit],
    );
  }

  async rename(manager: EntityManager, scope: Scope, id: string, name: string): Promise<void> {
    await this.uniqueName(name, () =>
      manager.query<unknown>(`UPDATE tenants t SET name = $4, updated_at = now() WHERE ${IN_SCOPE} AND t.id = $3`, [...scopeParams(scope), id, name]),
    );
  }

  /** Archives or unarchives; false when the tenant was already so (nothing changed). */
  async setArchived(manager: EntityManager, scope: Scope, tenant: { id: string; name: string }, archived: boolean): Promise<boolean> {
    // Unarchiving brings the name back among live tenants, where it may be taken meanwhile.
    const changed = await this.uniqueName(tenant.name, () =>
      updateReturning<{ id: string }>(
        manager,
        `UPDATE tenants t SET archived_at = CASE WHEN $4 THEN now() END, updated_at = now()
          WHERE ${IN_SCOPE} AND t.id = $3 AND (t.archived_at IS NULL) = $4
          RETURNING t.id`,
        [...scopeParams(scope), tenant.id, archived],
      ),
    );
    return changed.length > 0;
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
