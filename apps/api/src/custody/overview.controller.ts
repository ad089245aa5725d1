import { Controller, Get } from '@nestjs/common';
import type { OrganizationOverview } from '@keyring/contracts';
import { DataSource } from 'typeorm';
import { CurrentScope, RequirePermission } from '../access/access.decorators';
import { tenantIdsParam, type Scope } from '../access/scope';

/** Active versions older than the policy, each joined to its widget: costs as many as there are. */
const OVERDUE_IN_TENANTS = `(SELECT count(*)::int FROM secret_versions v JOIN widgets w ON w.id = v.widget_id AND w.active_version = v.version
  WHERE v.organization_id = $1 AND v.state = 'active' AND v.activated_at < (SELECT at FROM overdue_since)
    AND w.archived_at IS NULL AND w.tenant_id IN (SELECT id FROM live_tenants))`;

/**
 * The same figure for the whole organization without reading a row per overdue widget (a quarter of 100k widgets
 * took 200–500 ms in #14's benchmark): every overdue active version, counted in the age index alone (index-only),
 * less those of archived widgets and of live widgets of archived tenants, which cost as many as are archived.
 */
const OVERDUE_IN_ORGANIZATION = `((SELECT count(*) FROM secret_versions v
    WHERE v.organization_id = $1 AND v.state = 'active' AND v.activated_at < (SELECT at FROM overdue_since))
  - (SELECT count(*) FROM widgets w JOIN secret_versions v ON v.widget_id = w.id AND v.state = 'active'
      WHERE w.organization_id = $1 AND w.archived_at IS NOT NULL AND v.activated_at < (SELECT at FROM overdue_since))
  - (SELECT count(*) FROM widgets w JOIN secret_versions v ON v.widget_id = w.id AND v.state = 'active'
      WHERE w.organization_id = $1 AND w.archived_at IS NULL AND v.activated_at < (SELECT at FROM overdue_since)
        AND w.tenant_id = ANY(ARRAY(SELECT t.id FROM tenants t WHERE t.organization_id = $1 AND t.archived_at IS NOT NULL))))::int`;

/** The dashboard's counts, within the tenants the member may see. */
@Controller('orgs/:orgId/overview')
export class OverviewController {
  constructor(private readonly db: DataSource) {}

  @RequirePermission('widgets:read')
  @Get()
  async get(@CurrentScope() scope: Scope): Promise<OrganizationOverview> {
    const { sql, params } = overviewQuery(scope);
    const [counts] = await this.db.query<OrganizationOverview[]>(sql, params);
    return counts;
  }
}

/**
 * The overview's SQL (also what the plan proof EXPLAINs). One indexed read per figure, none of which grows with
 * widgets or secret versions: widget counts come from the per-tenant counters (CountWidgetsPerTenant), overdue ones
 * from the active versions' age index.
 */
export function overviewQuery(scope: Scope): { sql: string; params: unknown[] } {
  return {
    sql:
      // Widgets and keys of an archived tenant do nothing, so they are not counted.
      `WITH live_tenants AS (SELECT t.id FROM tenants t WHERE t.organization_id = $1 AND t.archived_at IS NULL AND ($2::uuid[] IS NULL OR t.id = ANY($2))),
            widget_counts AS (SELECT c.* FROM tenant_widget_counts c WHERE c.tenant_id IN (SELECT id FROM live_tenants)),
            overdue_since AS (SELECT now() - make_interval(days => o.rotation_max_age_days) AS at FROM organizations o WHERE o.id = $1)
       SELECT
         (SELECT count(*)::int FROM live_tenants) AS tenants,
         (SELECT COALESCE(sum(live), 0)::int FROM widget_counts) AS widgets,
         (SELECT COALESCE(sum(without_secret), 0)::int FROM widget_counts) AS "widgetsWithoutSecret",
         CASE WHEN $2::uuid[] IS NULL THEN ${OVERDUE_IN_ORGANIZATION} ELSE ${OVERDUE_IN_TENANTS} END AS "widgetsOverdue",
         (SELECT count(*)::int FROM api_keys k
           WHERE k.organization_id = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
             AND k.tenant_id IN (SELECT id FROM live_tenants)) AS "activeApiKeys",
         (SELECT count(*)::int FROM widgets w
           WHERE w.organization_id = $1 AND w.rotation_requested_at IS NOT NULL AND w.archived_at IS NULL
             AND w.tenant_id IN (SELECT id FROM live_tenants)) AS "widgetsRotationRequested",
         -- The reminders job's api_key.expiring (webhooks/reminders.ts): live keys expiring within 7 days.
         (SELECT count(*)::int FROM api_keys k
           WHERE k.organization_id = $1 AND k.revoked_at IS NULL AND k.expires_at > now() AND k.expires_at <= now() + interval '7 days'
             AND k.tenant_id IN (SELECT id FROM live_tenants)) AS "apiKeysExpiringSoon",
         o.rotation_max_age_days AS "rotationMaxAgeDays"
       FROM organizations o
      WHERE o.id = $1`,
    params: [scope.organizationId, tenantIdsParam(scope)],
  };
}
