import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A live widget whose active secret is older than its organization's rotation policy. */
export interface RotationDueWidget {
  organizationId: string;
  tenantId: string;
  widgetId: string;
  widgetName: string;
  version: number;
  activatedAt: Date;
  rotationMaxAgeDays: number;
}

/**
 * Every organization's widgets due for rotation, for the reminders job (webhooks/): the same rule as the
 * dashboard's "overdue" count, without archived widgets or tenants. Read through the active versions' age index.
 */
@Injectable()
export class RotationDueWidgets {
  list(manager: EntityManager): Promise<RotationDueWidget[]> {
    return manager.query<RotationDueWidget[]>(
      `SELECT w.organization_id AS "organizationId", w.tenant_id AS "tenantId", w.id AS "widgetId", w.name AS "widgetName",
              v.version, v.activated_at AS "activatedAt", o.rotation_max_age_days AS "rotationMaxAgeDays"
         FROM organizations o
         JOIN secret_versions v ON v.organization_id = o.id AND v.state = 'active' AND v.activated_at < now() - make_interval(days => o.rotation_max_age_days)
         JOIN widgets w ON w.id = v.widget_id AND w.active_version = v.version AND w.archived_at IS NULL
         JOIN tenants t ON t.id = w.tenant_id AND t.archived_at IS NULL
        ORDER BY v.activated_at`,
    );
  }
}
