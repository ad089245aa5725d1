import { Injectable } from '@nestjs/common';
import type { UserHashClaims } from '@keyring/signing';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning';
import { tenantIdsParam, type Scope } from '../access/scope';
import { CustodyError, CustodyErrorCode } from './custody.errors';
import { likePattern } from './tenants.repository';
import type { WidgetStatusFilter } from '@keyring/contracts';

export interface TokenPolicy {
  claims: UserHashClaims;
  ttlSeconds: number | null;
}

export interface WidgetView {
  id: string;
  tenantId: string;
  tenantName: string;
  name: string;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  tokenPolicy: TokenPolicy;
  /** The version that signs, or null while the widget has no secret. */
  activeSecret: { version: number; fingerprint: string; activatedAt: Date } | null;
  /** Queued for rotation by an offboarding; null once a new secret is stored. */
  rotationRequestedAt: Date | null;
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

const OF_LIVE_TENANT = 't.archived_at IS NULL';

/** What a list of widgets selects: every condition given must hold. */
export interface WidgetFilter {
  /** Part of the widget's name, its tenant's name or its Huggy widget uuid; case and accents do not matter. */
  q?: string;
  tenantId?: string;
  /** Archived widgets instead of live ones. */
  archived: boolean;
  status?: WidgetStatusFilter;
  /** For `unused`: no userHash issued for this many days. */
  unusedDays: number;
}

/** Each status as SQL over `w` (the widget); $1 is the organization, `days` the parameter holding `unusedDays`. */
const STATUS_SQL: Record<WidgetStatusFilter, (days: () => string) => string> = {
  'no-secret': () => 'w.active_version IS NULL',
  stale: () => `EXISTS (SELECT 1 FROM secret_versions sv WHERE sv.widget_id = w.id AND sv.state = 'active'
                  AND sv.activated_at < now() - make_interval(days => (SELECT o.rotation_max_age_days FROM organizations o WHERE o.id = $1)))`,
  // Minutes are kept only for hours (#14's retention): older usage is read from the daily rollup, whose buckets are
  // whole UTC days (a use early in the first day still counts), and the newest from the minutes not yet rolled up.
  unused: (days) => {
    const since = `now() - make_interval(days => ${days()})`;
    return `NOT EXISTS (SELECT 1 FROM usage_days d WHERE d.widget_id = w.id AND d.issued > 0 AND d.bucket >= date_trunc('day', ${since}, 'UTC'))
        AND NOT EXISTS (SELECT 1 FROM usage_minutes u WHERE u.widget_id = w.id AND u.issued > 0 AND u.minute >= ${since})`;
  },
  'rotation-requested': () => 'w.rotation_requested_at IS NOT NULL',
};

/** How many widgets in name order a search reads for a page before it turns to its indexes (see list). */
const WALK_WINDOW = 2000;

/** A search's total is exact up to this many matches; past it, "1,000+". */
export const SEARCH_TOTAL_CAP = 1000;

const archivedSql = (filter: Pick<WidgetFilter, 'archived'>) => (filter.archived ? 'w.archived_at IS NOT NULL' : 'w.archived_at IS NULL');

/**
 * The filter as a WHERE clause over `w` and its parameters ($1 organization, $2 tenants of the scope, then what the
 * filter needs). Only the conditions given are in the SQL, so that each query is planned for what it asks. A search
 * is not in `where`: its `pattern` goes to searchLookups.
 */
function filterSql(scope: Scope, filter: WidgetFilter): { where: string; params: unknown[]; pattern: string | null } {
  const params: unknown[] = scopeParams(scope);
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [IN_SCOPE, archivedSql(filter)];
  if (filter.tenantId) where.push(`w.tenant_id = ${param(filter.tenantId)}`);
  const pattern = filter.q ? `keyring_fold(${param(likePattern(filter.q))})` : null;
  if (filter.status) where.push(STATUS_SQL[filter.status](() => param(filter.unusedDays)));
  return { where: where.join(' AND '), params, pattern };
}

/**
 * The three ways a widget matches a search, each a query of at most `limit` widget ids (the first by name when
 * `inNameOrder`) whose rows meet `where` and `pattern`, in a shape that costs what its own matches cost wherever they
 * fall in name order: the trigram indexes of the widget's name and Huggy uuid, read whole (`OFFSET 0` keeps the
 * planner from walking the name index instead, which reads every widget before the first match when matches sort
 * late); and the tenants whose name matches, each one's widgets read in name order from its index. One OR over the
 * three would read every widget of the organization.
 */
function searchLookups(where: string, pattern: string, limit: string, inNameOrder: boolean): string[] {
  const tail = `${inNameOrder ? 'ORDER BY m.name, m.id' : ''} LIMIT ${limit}`;
  const matching = (condition: string) =>
    `SELECT m.id FROM (SELECT w.id, lower(w.name) AS name FROM widgets w WHERE ${where} AND ${condition} OFFSET 0) m ${tail}`;
  return [
    matching(`w.search_name LIKE ${pattern}`),
    matching(`lower(w.huggy_widget_uuid) LIKE ${pattern}`),
    `SELECT m.id FROM tenants st CROSS JOIN LATERAL (
       SELECT w.id, lower(w.name) AS name FROM widgets w WHERE w.tenant_id = st.id AND ${where} ORDER BY lower(w.name), w.id LIMIT ${limit}
     ) m WHERE st.organization_id = $1 AND st.search_name LIKE ${pattern} ${tail}`,
  ].map((lookup) => `(${lookup})`);
}

const WIDGETS_WITH_TENANT_AND_SECRET = `
  FROM widgets w
  JOIN tenants t ON t.id = w.tenant_id
  LEFT JOIN secret_versions v ON v.widget_id = w.id AND v.state = 'active'`;

/** Names are unique among a tenant's live widgets; the unique index decides. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'widgets_tenant_name_key') {
      throw new CustodyError(CustodyErrorCode.WidgetNameTaken, `This tenant already has a widget named "${name}".`);
    }
    throw error;
  }
}

const select = () => `
  SELECT w.id, w.tenant_id AS "tenantId", t.name AS "tenantName", w.name, w.huggy_widget_uuid AS "huggyWidgetUuid",
         w.huggy_company_id AS "huggyCompanyId", w.token_claims, w.token_ttl_seconds,
         w.created_at AS "createdAt", w.updated_at AS "updatedAt", w.archived_at AS "archivedAt",
         w.rotation_requested_at AS "rotationRequestedAt",
         v.version AS active_version, v.fingerprint AS active_fingerprint, v.activated_at AS active_activated_at
  ${WIDGETS_WITH_TENANT_AND_SECRET}`;

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
    const [row] = await uniqueName(fields.name, () =>
      manager.query<{ id: string }[]>(
        `INSERT INTO widgets (organization_id, tenant_id, name, huggy_widget_uuid, huggy_company_id, token_claims, token_ttl_seconds)
       SELECT $1, $3, $4, $5, $6, $7, $8 WHERE $2::uuid[] IS NULL OR $3 = ANY($2)
       RETURNING id`,
        [...scopeParams(scope), tenantId, fields.name, fields.huggyWidgetUuid, fields.huggyCompanyId, fields.tokenPolicy.claims, fields.tokenPolicy.ttlSeconds],
      ),
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

  /**
   * A keyset page of the widgets that `filter` selects, ordered by name. A search whose matches are `few` (counted
   * first, see count) goes straight to the three lookups, which cost what the matches cost. One with many first tries
   * the next WALK_WINDOW widgets in name order, which holds a full page whenever its matches spread out (a few ms
   * however many match); otherwise (matches that sort late) the lookups.
   */
  async list(scope: Scope, filter: WidgetFilter, limit: number, after?: { name: string; id: string }, few = false): Promise<WidgetView[]> {
    const { where: filtered, params, pattern } = filterSql(scope, filter);
    const [name, id, count] = [params.length + 1, params.length + 2, params.length + 3];
    const where = `${filtered} AND ($${name}::text IS NULL OR (lower(w.name), w.id) > (lower($${name}::text), $${id}::uuid))`;
    const page = (selected: string, extra: unknown[] = []) =>
      this.db
        .query<Row[]>(`${select()} WHERE ${selected} ORDER BY lower(w.name), w.id LIMIT $${count}`, [...params, after?.name ?? null, after?.id ?? null, limit, ...extra])
        .then((rows) => rows.map(toView));
    if (!pattern) return page(where);
    const lookups = () => page(`w.id IN (${searchLookups(where, pattern, `$${count}`, true).join(' UNION ')})`);
    if (few) return lookups();
    const walked = await page(
      `w.id IN (SELECT first.id FROM (SELECT w.id, w.tenant_id, w.search_name, w.huggy_widget_uuid FROM widgets w WHERE ${where}
                  ORDER BY lower(w.name), w.id LIMIT $${count + 1}) first
                WHERE first.search_name LIKE ${pattern} OR lower(first.huggy_widget_uuid) LIKE ${pattern}
                   OR first.tenant_id IN (SELECT st.id FROM tenants st WHERE st.organization_id = $1 AND st.search_name LIKE ${pattern}))`,
      [WALK_WINDOW],
    );
    return walked.length === limit ? walked : lookups();
  }

  /** How many widgets `filter` selects, counted up to `cap` (an exact total of a huge list costs more than it tells). */
  async count(scope: Scope, filter: WidgetFilter, cap: number): Promise<number> {
    const { where, params, pattern } = filterSql(scope, filter);
    const limit = `$${params.length + 1}`;
    const counted = async (selected: string) =>
      (await this.db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM (${selected}) selected`, [...params, cap]))[0].total;
    if (!pattern) return counted(`SELECT w.id FROM widgets w WHERE ${where} LIMIT ${limit}`);
    const lookups = searchLookups(where, pattern, limit, false);
    // A common term reaches the cap on widget names alone: then the other two lookups (a tenant name that matches
    // reads up to `cap` widgets of each such tenant) need not run.
    const byName = await counted(lookups[0]);
    if (byName >= cap) return byName;
    // Each lookup's ids are distinct, so fewer than `cap` in all means that no lookup was cut short: an exact count.
    return counted(lookups.join(' UNION '));
  }

  /**
   * Live widgets (of live tenants) queued for rotation by an offboarding (someone gone saw their secret), then those
   * with no active secret, then those whose active secret is older than the organization's policy.
   */
  async needingRotation(scope: Scope, limit: number): Promise<(WidgetView & { reason: 'rotation-requested' | 'no-secret' | 'overdue' })[]> {
    const live = (condition: string, count: number) =>
      this.db.query<Row[]>(
        `${select()}
          WHERE ${IN_SCOPE} AND w.archived_at IS NULL AND ${OF_LIVE_TENANT} AND ${condition}
          ORDER BY lower(w.name), w.id
          LIMIT $3`,
        [...scopeParams(scope), count],
      );
    const requested = await live('w.rotation_requested_at IS NOT NULL', limit);
    const noSecret = requested.length < limit ? await live('w.active_version IS NULL', limit - requested.length) : [];
    const shown = requested.length + noSecret.length;
    const overdue: Row[] =
      shown < limit
        ? await this.db.query<Row[]>(
            `${select()}
              JOIN organizations o ON o.id = w.organization_id
              WHERE v.organization_id = $1 AND ${IN_SCOPE} AND w.archived_at IS NULL AND ${OF_LIVE_TENANT}
                AND v.activated_at < now() - make_interval(days => o.rotation_max_age_days) AND w.rotation_requested_at IS NULL
              ORDER BY v.activated_at, w.id
              LIMIT $3`,
            [...scopeParams(scope), limit - shown],
          )
        : [];
    return [
      ...requested.map((row) => ({ ...toView(row), reason: 'rotation-requested' as const })),
      ...noSecret.map((row) => ({ ...toView(row), reason: 'no-secret' as const })),
      ...overdue.map((row) => ({ ...toView(row), reason: 'overdue' as const })),
    ];
  }

  /**
   * Queues for rotation those of `ids` that are live, of a live tenant, in the scope and not queued already, in one
   * UPDATE (each row locked as it is changed); the widgets it queued.
   */
  async requestRotation(manager: EntityManager, scope: Scope, ids: readonly string[]): Promise<{ id: string; name: string; tenantId: string; tenantName: string }[]> {
    return updateReturning<{ id: string; name: string; tenantId: string; tenantName: string }>(
      manager,
      `UPDATE widgets w SET rotation_requested_at = now()
         FROM tenants t
        WHERE ${IN_SCOPE} AND w.id = ANY($3::uuid[]) AND t.id = w.tenant_id AND ${OF_LIVE_TENANT}
          AND w.archived_at IS NULL AND w.rotation_requested_at IS NULL
        RETURNING w.id, w.name, w.tenant_id AS "tenantId", t.name AS "tenantName"`,
      [...scopeParams(scope), [...ids]],
    );
  }

  async update(manager: EntityManager, scope: Scope, id: string, fields: WidgetFields): Promise<void> {
    await uniqueName(fields.name, () =>
      manager.query(
        `UPDATE widgets w SET name = $4, huggy_widget_uuid = $5, huggy_company_id = $6, token_claims = $7, token_ttl_seconds = $8,
              updated_at = now()
        WHERE ${IN_SCOPE} AND w.id = $3`,
        [...scopeParams(scope), id, fields.name, fields.huggyWidgetUuid, fields.huggyCompanyId, fields.tokenPolicy.claims, fields.tokenPolicy.ttlSeconds],
      ),
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
