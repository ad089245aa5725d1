import { Injectable } from '@nestjs/common';
import type { UserHashClaims } from '@keyring/signing';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning';
import { tenantIdsParam, type Scope } from '../access/scope';
import { likePattern } from './tenants.repository';

export interface TokenPolicy {
  claims: UserHashClaims;
  ttlSeconds: number | null;
}

export interface WidgetView {
  id: string;
  tenantId: string;
  name: string;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  tokenPolicy: TokenPolicy;
  /** The version that signs, or null while the widget has no secret. */
  activeSecret: { version: number; fingerprint: string; activatedAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
}

export interface WidgetFields {
  name: string;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  tokenPolicy: TokenPolicy;
}

/** A widget read under its row lock, with what a change must know of its tenant. */
export type LockedWidget = WidgetView & { tenantArchived: boolean };

/** The scope in SQL: $1 the organization, $2 its tenants (null for all). */
const IN_SCOPE = 'w.organization_id = $1 AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))';
const scopeParams = (scope: Scope) => [scope.organizationId, tenantIdsParam(scope)];

const OF_LIVE_TENANT = 'NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = w.tenant_id AND t.archived_at IS NOT NULL)';

/** How many names in order a search looks through before it turns to the trigram index. */
const SEARCH_SCAN_CAP = 2000;

const select = () => `
  SELECT w.id, w.tenant_id AS "tenantId", w.name, w.huggy_widget_uuid AS "huggyWidgetUuid",
         w.huggy_company_id AS "huggyCompanyId", w.token_claims, w.token_ttl_seconds,
         w.created_at AS "createdAt", w.updated_at AS "updatedAt", w.archived_at AS "archivedAt",
         v.version AS active_version, v.fingerprint AS active_fingerprint, v.activated_at AS active_activated_at
    FROM widgets w
    LEFT JOIN secret_versions v ON v.widget_id = w.id AND v.state = 'active'`;

type Row = Omit<WidgetView, 'tokenPolicy' | 'activeSecret'> & {
  token_claims: UserHashClaims;
  token_ttl_seconds: number | null;
  active_version: number | null;
  active_fingerprint: string | null;
  active_activated_at: Date | null;
};

function toView({ token_claims, token_ttl_seconds, active_version, active_fingerprint, active_activated_at, ...row }: Row): WidgetView {
  return {
    ...row,
    tokenPolicy: { claims: token_claims, ttlSeconds: token_ttl_seconds },
    activeSecret:
      active_version === null ? null : { version: active_version, fingerprint: active_fingerprint!, activatedAt: active_activated_at! },
  };
}

@Injectable()
export class WidgetsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(manager: EntityManager, scope: Scope, tenantId: string, fields: WidgetFields): Promise<string> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO widgets (organization_id, tenant_id, name, huggy_widget_uuid, huggy_company_id, token_claims, token_ttl_seconds)
       SELECT $1, $3, $4, $5, $6, $7, $8 WHERE $2::uuid[] IS NULL OR $3 = ANY($2)
       RETURNING id`,
      [...scopeParams(scope), tenantId, fields.name, fields.huggyWidgetUuid, fields.huggyCompanyId, fields.tokenPolicy.claims, fields.tokenPolicy.ttlSeconds],
    );
    return row.id;
  }

  async find(scope: Scope, id: string, manager: EntityManager = this.db.manager): Promise<WidgetView | null> {
    const [row] = await manager.query<Row[]>(`${select()} WHERE ${IN_SCOPE} AND w.id = $3`, [...scopeParams(scope), id]);
    return row ? toView(row) : null;
  }

  /** Every widget of the scope that is not archived: what the tenant API warms its cache with. */
  async liveInScope(scope: Scope): Promise<WidgetView[]> {
    const rows = await this.db.query<Row[]>(`${select()} WHERE ${IN_SCOPE} AND w.archived_at IS NULL`, scopeParams(scope));
    return rows.map(toView);
  }

  /** Locks the widget row: every change of one widget (fields, archive, its secret) happens one at a time. */
  async lock(manager: EntityManager, scope: Scope, id: string): Promise<LockedWidget | null> {
    const [locked] = await manager.query<{ tenantArchived: boolean }[]>(
      `SELECT t.archived_at IS NOT NULL AS "tenantArchived" FROM widgets w JOIN tenants t ON t.id = w.tenant_id
        WHERE ${IN_SCOPE} AND w.id = $3 FOR UPDATE OF w`,
      [...scopeParams(scope), id],
    );
    const widget = locked ? await this.find(scope, id, manager) : null;
    return widget && { ...widget, tenantArchived: locked.tenantArchived };
  }

  async list(
    scope: Scope,
    options: { q?: string; tenantId?: string },
    limit: number,
    after?: { name: string; id: string },
  ): Promise<WidgetView[]> {
    const searching = Boolean(options.q);
    const page = (scanCap: number | null) =>
      this.db.query<Row[]>(
        `${select()}
          WHERE w.id IN (
            SELECT id FROM (
              SELECT id, name FROM widgets
               WHERE organization_id = $1 AND ($2::uuid[] IS NULL OR tenant_id = ANY($2)) AND archived_at IS NULL
                 AND ($4::uuid IS NULL OR tenant_id = $4)
                 AND ($5::text IS NULL OR (lower(name), id) > (lower($5::text), $6::uuid))
                 ${scanCap === null ? 'AND ($3::text IS NULL OR lower(name) LIKE $3)' : ''}
               -- On the trigram pass, "|| ''" keeps the planner off the name index: walking it in order while
               -- filtering is what makes a frequent word that sorts late slow.
               ORDER BY ${searching && scanCap === null ? "lower(name) || ''" : 'lower(name)'}, id
               LIMIT ${scanCap === null ? '$7' : scanCap}
            ) candidates
            WHERE ($3::text IS NULL OR lower(name) LIKE $3)
            ORDER BY lower(name), id
            LIMIT $7)
          ORDER BY lower(w.name), w.id`,
        [...scopeParams(scope), options.q ? likePattern(options.q) : null, options.tenantId ?? null, after?.name ?? null, after?.id ?? null, limit],
      );
    // A search for a common word finds its page among the first names in order; a rare one needs the trigram
    // index. Trying the first, cheap way before the second keeps both fast (a single plan is slow for one of them).
    let rows = searching ? await page(SEARCH_SCAN_CAP) : [];
    if (rows.length < limit) rows = await page(null);
    return rows.map(toView);
  }

  /** Live widgets (of live tenants) with no active secret, then those whose active secret is older than the organization's policy. */
  async needingRotation(scope: Scope, limit: number): Promise<(WidgetView & { reason: 'no-secret' | 'overdue' })[]> {
    const noSecret: Row[] = await this.db.query<Row[]>(
      `${select()}
        WHERE ${IN_SCOPE} AND w.archived_at IS NULL AND ${OF_LIVE_TENANT} AND w.active_version IS NULL
        ORDER BY lower(w.name), w.id
        LIMIT $3`,
      [...scopeParams(scope), limit],
    );
    const overdue: Row[] =
      noSecret.length < limit
        ? await this.db.query<Row[]>(
            `${select()}
              JOIN organizations o ON o.id = w.organization_id
              WHERE v.organization_id = $1 AND ${IN_SCOPE} AND w.archived_at IS NULL AND ${OF_LIVE_TENANT}
                AND v.activated_at < now() - make_interval(days => o.rotation_max_age_days)
              ORDER BY v.activated_at, w.id
              LIMIT $3`,
            [...scopeParams(scope), limit - noSecret.length],
          )
        : [];
    return [
      ...noSecret.map((row) => ({ ...toView(row), reason: 'no-secret' as const })),
      ...overdue.map((row) => ({ ...toView(row), reason: 'overdue' as const })),
    ];
  }

  async update(manager: EntityManager, scope: Scope, id: string, fields: WidgetFields): Promise<void> {
    await manager.query(
      `UPDATE widgets w SET name = $4, huggy_widget_uuid = $5, huggy_company_id = $6, token_claims = $7, token_ttl_seconds = $8,
              updated_at = now()
        WHERE ${IN_SCOPE} AND w.id = $3`,
      [...scopeParams(scope), id, fields.name, fields.huggyWidgetUuid, fields.huggyCompanyId, fields.tokenPolicy.claims, fields.tokenPolicy.ttlSeconds],
    );
  }

  /** False when the widget was archived already (nothing changed). */
  async archive(manager: EntityManager, scope: Scope, id: string): Promise<boolean> {
    const changed = await updateReturning<{ id: string }>(
      manager,
      `UPDATE widgets w SET archived_at = now(), updated_at = now() WHERE ${IN_SCOPE} AND w.id = $3 AND w.archived_at IS NULL RETURNING w.id`,
      [...scopeParams(scope), id],
    );
    return changed.length > 0;
  }
}
