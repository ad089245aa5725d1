import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Context, RequirePermission } from '../access/access.decorators';
import type { RequestContext } from '../access/request-context';
import { AuditWriter } from '../audit/audit-writer.service';
import { UpdateSettingsDto } from './custody.dto';

/** Organization settings; for now the rotation policy behind "needs attention". */
@Controller('orgs/:orgId/settings')
export class SettingsController {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  @RequirePermission('settings:read')
  @Get()
  async get(@Param('orgId') orgId: string): Promise<{ rotationMaxAgeDays: number }> {
    const [row] = await this.db.query('SELECT rotation_max_age_days AS "rotationMaxAgeDays" FROM organizations WHERE id = $1', [orgId]);
    return row;
  }

  @RequirePermission('settings:manage')
  @Patch()
  async update(@Param('orgId') orgId: string, @Body() dto: UpdateSettingsDto, @Context() context: RequestContext) {
    return this.db.transaction(async (manager) => {
      const [before] = await manager.query('SELECT rotation_max_age_days FROM organizations WHERE id = $1 FOR UPDATE', [orgId]);
      await manager.query('UPDATE organizations SET rotation_max_age_days = $2 WHERE id = $1', [orgId, dto.rotationMaxAgeDays]);
      await this.audit.record(manager, context, {
        organizationId: orgId,
        action: 'settings.updated',
        target: { type: 'organization', id: orgId },
        details: { rotationMaxAgeDays: { from: before.rotation_max_age_days, to: dto.rotationMaxAgeDays } },
      });
      return { rotationMaxAgeDays: dto.rotationMaxAgeDays };
    });
  }
}
