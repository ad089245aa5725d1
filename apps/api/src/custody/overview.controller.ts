import { Controller, Get } from '@nestjs/common';
import type { OrganizationOverview } from '@keyring/contracts';
import { DataSource } from 'typeorm';
import { CurrentScope, RequirePermission } from '../access/access.decorators';
import { tenantIdsParam, type Scope } from '../access/scope';

/** The dashboard's counts, within the tenants the member may see. */
@Controller('orgs/:orgId/overview')
export class OverviewController {
  constructor(private readonly db: DataSource) {}

  @RequirePermission('widgets:read')
  @Get()
  async get(@CurrentScope() scope: Scope): Promise<OrganizationOverview> {
    const [counts] = await this.db.query<OrganizationOverview[]>(
      // Widgets and keys of an archived tenant do nothing, so they are not counted.
      `WITH live_tenants AS (SELECT t.id FROM tenants t WHERE t.organization_id = $1 AND t.archived_at IS NULL AND ($2::uuid[] IS NULL OR t.id = ANY($2)))
       SELECT
         (SELECT count(*)::int FROM live_tenants) AS tenants,
         count(w.id)::int AS widgets,
         count(w.id) FILTER (WHERE w.active_version IS NULL)::int AS "widgetsWithoutSecret",
         count(*) FILTER (WHERE v.activated_at < now() - make_interval(days => o.rotation_max_age_days))::int AS "widgetsOverdue",
         (SELECT count(*)::int FROM api_keys k
           WHERE k.organization_id = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
             AND ($2::uuid[] IS NULL OR k.tenant_id = ANY($2)) AND k.tenant_id IN (SELECT id FROM live_tenants)) AS "activeApiKeys",
         min(o.rotation_max_age_days) AS "rotationMaxAgeDays"
       FROM organizations o
       LEFT JOIN widgets w ON w.organization_id = o.id AND w.archived_at IS NULL AND ($2::uuid[] IS NULL OR w.tenant_id = ANY($2))
         AND w.tenant_id IN (SELECT id FROM live_tenants)
       LEFT JOIN secret_versions v ON v.widget_id = w.id AND v.version = w.active_version
      WHERE o.id = $1`,
      [scope.organizationId, tenantIdsParam(scope)],
    );
    return counts;
  }
}
