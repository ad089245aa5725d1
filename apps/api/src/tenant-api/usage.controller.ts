import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { TimeRangeDto } from '../common/validation/time-range.dto';
import { CurrentScope, RequirePermission } from '../access/access.decorators';
import type { Usage } from '@keyring/contracts';
import { tenantIdsParam, type Scope } from '../access/scope';
import { iso } from '../common/http/iso';

const MAX_SPAN_DAYS = { minute: 1, hour: 31, day: 366 } as const;
type Granularity = keyof typeof MAX_SPAN_DAYS;
/**
 * Each granularity reads its own level (UsageRollup), so a chart reads at most one row per widget and bucket
 * (minutes: per key too; days of many widgets: per tenant, see usageQuery). Buckets are UTC and counted whole: the first one starts at or before `from`. Hours and
 * days are as fresh as the last rollup round (KEYRING_USAGE_ROLLUP_SECONDS).
 */
const SOURCE: Record<Granularity, { table: string; column: string }> = {
  minute: { table: 'usage_minutes', column: 'minute' },
  hour: { table: 'usage_hours', column: 'bucket' },
  day: { table: 'usage_days', column: 'bucket' },
};

export class UsageQueryDto extends TimeRangeDto {
  @IsOptional()
  @IsUUID('all', { message: 'widgetId must be a widget id (UUID)' })
  widgetId?: string;

  /** One client's traffic (its page's chart). */
  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a tenant id (UUID)' })
  tenantId?: string;

  @IsOptional()
  @IsIn(Object.keys(MAX_SPAN_DAYS), { message: 'granularity must be minute, hour or day' })
  granularity?: Granularity;
}

/** userHashes issued and verified over time, for the console's charts. */
@Controller('orgs/:orgId/usage')
export class UsageController {
  constructor(private readonly db: DataSource) {}

  @RequirePermission('usage:read')
  @Get()
  async usage(@CurrentScope() scope: Scope, @Query() query: UsageQueryDto): Promise<Usage> {
    const granularity = query.granularity ?? 'day';
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 86_400_000);
    const spanDays = (to.getTime() - from.getTime()) / 86_400_000;
    if (spanDays <= 0 || spanDays > MAX_SPAN_DAYS[granularity]) {
      throw new BadRequestException(
        `from must be before to, at most ${MAX_SPAN_DAYS[granularity]} day(s) apart with granularity ${granularity}.`,
      );
    }
    const { sql, params } = usageQuery(scope, granularity, from, to, { widgetId: query.widgetId, tenantId: query.tenantId });
    const rows = await this.db.query<{ bucket: Date; issued: number; verified: number }[]>(sql, params);
    return { from: iso(from), to: iso(to), granularity, items: rows.map(({ bucket, issued, verified }) => ({ bucket: iso(bucket), issued, verified })) };
  }
}

/**
 * The chart's SQL. Days of more than one widget (an organization, a member's tenants, a tenant) read the per-tenant level (UsageRollup): one row per tenant in view
 * and day however many widgets; everything else the per-widget level, joined to the widget for the member's tenants.
 */
function usageQuery(
  scope: Scope,
  granularity: Granularity,
  from: Date,
  to: Date,
  { widgetId, tenantId }: { widgetId?: string; tenantId?: string },
): { sql: string; params: unknown[] } {
  if (granularity === 'day' && !widgetId) {
    return {
      sql: `SELECT u.bucket, sum(u.issued)::int AS issued, sum(u.verified)::int AS verified
              FROM usage_tenant_days u
             WHERE u.organization_id = $1 AND u.bucket >= date_trunc('day', $2::timestamptz, 'UTC') AND u.bucket < $3
               AND ($4::uuid[] IS NULL OR u.tenant_id = ANY($4))
               AND ($5::uuid IS NULL OR u.tenant_id = $5)
             GROUP BY 1 ORDER BY 1`,
      params: [scope.organizationId, from, to, tenantIdsParam(scope), tenantId ?? null],
    };
  }
  const { table, column } = SOURCE[granularity];
  return {
    sql: `SELECT date_trunc($4, u.${column}, 'UTC') AS bucket, sum(u.issued)::int AS issued, sum(u.verified)::int AS verified
            FROM ${table} u JOIN widgets w ON w.id = u.widget_id
           WHERE u.organization_id = $1 AND u.${column} >= date_trunc($4, $2::timestamptz, 'UTC') AND u.${column} < $3
             AND ($5::uuid IS NULL OR u.widget_id = $5)
             AND ($6::uuid[] IS NULL OR w.tenant_id = ANY($6))
             AND ($7::uuid IS NULL OR w.tenant_id = $7)
           GROUP BY 1 ORDER BY 1`,
    params: [scope.organizationId, from, to, granularity, widgetId ?? null, tenantIdsParam(scope), tenantId ?? null],
  };
}
