import { Body, Controller, Get, Patch } from '@nestjs/common';
import type { OrganizationSettings } from '@keyring/contracts';
import { DataSource } from 'typeorm';
import { Context, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { AuditWriter } from '../audit/audit-writer.service';
import { UpdateSettingsDto } from './custody.dto';

const SETTINGS = 'rotation_max_age_days AS "rotationMaxAgeDays"';

/** Organization settings; for now the rotation policy behind "needs attention". */
@Controller('orgs/:orgId/settings')
export class SettingsController {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  @RequirePermission('settings:read')
  @Get()
  async get(@CurrentScope() scope: Scope): Promise<OrganizationSettings> {
    const [row] = await this.db.query<OrganizationSettings[]>(`SELECT ${SETTINGS} FROM organizations WHERE id = $1`, [scope.organizationId]);
    return row;
  }

  /** Under the organization row's lock; a value that does not change is not written nor audited. */
  @RequirePermission('settings:manage')
  @Patch()
  async update(@CurrentScope() scope: Scope, @Body() dto: UpdateSettingsDto, @Context() context: RequestContext): Promise<OrganizationSettings> {
    return this.db.transaction(async (manager) => {
      const [before] = await manager.query<OrganizationSettings[]>(`SELECT ${SETTINGS} FROM organizations WHERE id = $1 FOR UPDATE`, [scope.organizationId]);
      if (before.rotationMaxAgeDays === dto.rotationMaxAgeDays) return before;
      await manager.query('UPDATE organizations SET rotation_max_age_days = $2 WHERE id = $1', [scope.organizationId, dto.rotationMaxAgeDays]);
      await this.audit.record(manager, context, {
        organizationId: scope.organizationId,
        action: 'settings.updated',
        target: { type: 'organization', id: scope.organizationId },
        details: { rotationMaxAgeDays: { from: before.rotationMaxAgeDays, to: dto.rotationMaxAgeDays } },
      });
      return { rotationMaxAgeDays: dto.rotationMaxAgeDays };
    });
  }
}
