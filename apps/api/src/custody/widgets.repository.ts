import { Injectable } from '@nestjs/common';
import type { UserHashClaims } from '@keyring/signing';
import { DataSource, type EntityManager } from 'typeorm';
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

  async insert(manager: EntityManager, organizationId: string, tenantId: string, fields: WidgetFields): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO widgets (organization_id, tenant_id, name, huggy_widget_uuid, huggy_company_id, token_claims, token_ttl_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [organizationId, tenantId, fields.name, fields.huggyWidgetUuid, fields.huggyCompanyId, fields.tokenPolicy.claims, fields.tokenPolicy.ttlSeconds],
    );
    return row.id;
  }

  async find(organizationId: string, id: string, manager: EntityManager = this.db.manager): Promise<WidgetView | null> {
    const [row] = await manager.query(`${select()} WHERE w.organization_id = $1 AND w.id = $2`, [organizationId, id]);
    return row ? toView(row) : null;
  }

  /** Locks the widget row: rotations, rollbacks and destroys of one widget happen one at a time. */
  async lock(manager: EntityManager, organizationId: string, id: string): Promise<WidgetView | null> {
    const [locked] = await manager.query('SELECT id FROM widgets WHERE organization_id = $1 AND id = $2 FOR UPDATE', [organizationId, id]);
    return locked ? this.find(organizationId, id, manager) : null;
  }

  async list(
    organizationId: string,
    options: { q?: string; tenantId?: string; scope: string[] | null },
    limit: number,
    after?: { name: string; id: string },
  ): Promise<WidgetView[]> {
    const searching = Boolean(options.q);
    const page = (scanCap: number | null) =>
      this.db.query(
        `${select()}
          WHERE w.id IN (
            SELECT id FROM (
              SELECT id, name FROM widgets
               WHERE organization_id = $1 AND archived_at IS NULL
                 AND ($3::uuid IS NULL OR tenant_id = $3)
                 AND ($4::uuid[] IS NULL OR tenant_id = ANY($4))
                 AND ($5::text IS NULL OR (lower(name), id) > (lower($5::text), $6::uuid))
                 ${scanCap === null ? 'AND ($2::text IS NULL OR lower(name) LIKE $2)' : ''}
               -- On the trigram pass, "|| ''" keeps the planner off the name index: walking it in order while
               -- filtering is what makes a frequent word that sorts late slow.
               ORDER BY ${searching && scanCap === null ? "lower(name) || ''" : 'lower(name)'}, id
               LIMIT ${scanCap === null ? '$7' : scanCap}
            ) candidates
            WHERE ($2::text IS NULL OR lower(name) LIKE $2)
            ORDER BY lower(name), id
            LIMIT $7)
          ORDER BY lower(w.name), w.id`,
        [organizationId, options.q ? likePattern(options.q) : null, options.tenantId ?? null, options.scope, after?.name ?? null, after?.id ?? null, limit],
      ) as Promise<Row[]>;
    // A search for a common word finds its page among the first names in order; a rare one needs the trigram
    // index. Trying the first, cheap way before the second keeps both fast (a single plan is slow for one of them).
    let rows = searching ? await page(SEARCH_SCAN_CAP) : [];
    if (rows.length < limit) rows = await page(null);
    return rows.map(toView);
  }

  /** Live widgets with no active secret, then those whose active secret is older than the organization's policy. */
  async needingRotation(organizationId: string, scope: string[] | null, limit: number): Promise<(WidgetView & { reason: 'no-secret' | 'overdue' })[]> {
    const noSecret: Row[] = await this.db.query(
      `${select()}
        WHERE w.organization_id = $1 AND w.archived_at IS NULL AND w.active_version IS NULL
          AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))
        ORDER BY lower(w.name), w.id
        LIMIT $3`,
      [organizationId, scope, limit],
    );
    const overdue: Row[] =
      noSecret.length < limit
        ? await this.db.query(
            `${select()}
              JOIN organizations o ON o.id = w.organization_id
              WHERE v.organization_id = $1 AND w.archived_at IS NULL
                AND v.activated_at < now() - make_interval(days => o.rotation_max_age_days)
                AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))
              ORDER BY v.activated_at, w.id
              LIMIT $3`,
            [organizationId, scope, limit - noSecret.length],
          )
        : [];
    return [
      ...noSecret.map((row) => ({ ...toView(row), reason: 'no-secret' as const })),
      ...overdue.map((row) => ({ ...toView(row), reason: 'overdue' as const })),
    ];
  }

  async update(manager: EntityManager, organizationId: string, id: string, fields: WidgetFields): Promise<void> {
    await manager.query(
      `UPDATE widgets SET name = $3, huggy_widget_uuid = $4, huggy_company_id = $5, token_claims = $6, token_ttl_seconds = $7,
              updated_at = now()
        WHERE organization_id = $1 AND id = $2`,
      [organizationId, id, fields.name, fields.huggyWidgetUuid, fields.huggyCompanyId, fields.tokenPolicy.claims, fields.tokenPolicy.ttlSeconds],
    );
  }

  async archive(manager: EntityManager, organizationId: string, id: string): Promise<void> {
    await manager.query('UPDATE widgets SET archived_at = now(), updated_at = now() WHERE organization_id = $1 AND id = $2', [organizationId, id]);
  }
}
