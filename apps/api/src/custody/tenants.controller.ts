import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Context, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { CreateTenantDto, ListQueryDto, UpdateTenantDto } from './custody.dto';
import { tenantNotFound } from './custody.errors';
import { TenantsService } from './tenants.service';
import { toTenant } from './custody.mappers';
import { mapPage } from '../common/http/cursor';

const TENANT_ID = new ParseUUIDPipe({ exceptionFactory: tenantNotFound });

@Controller('orgs/:orgId/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @RequirePermission('tenants:write')
  @Post()
  async create(@CurrentScope() scope: Scope, @Body() dto: CreateTenantDto, @Context() context: RequestContext) {
    return toTenant(await this.tenants.create(scope, dto.name, context));
  }

  @RequirePermission('tenants:read')
  @Get()
  async list(@CurrentScope() scope: Scope, @Query() query: ListQueryDto) {
    return mapPage(await this.tenants.list(scope, query), toTenant);
  }

  @RequirePermission('tenants:read')
  @Get(':tenantId')
  async get(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string) {
    return toTenant(await this.tenants.get(scope, tenantId));
  }

  /** What archiving the tenant stops: the client page says it before asking. */
  @RequirePermission('tenants:read')
  @Get(':tenantId/summary')
  summary(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string) {
    return this.tenants.summary(scope, tenantId);
  }

  @RequirePermission('tenants:write')
  @Patch(':tenantId')
  async update(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string, @Body() dto: UpdateTenantDto, @Context() context: RequestContext) {
    return toTenant(await this.tenants.rename(scope, tenantId, dto.name, context));
  }

  /** Stops the tenant's widgets and API keys on every instance; a second archive changes nothing. */
  @RequirePermission('tenants:write')
  @Post(':tenantId/archive')
  @HttpCode(200)
  async archive(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string, @Context() context: RequestContext) {
    return toTenant(await this.tenants.setArchived(scope, tenantId, true, context));
  }

  /** Restores exactly what was active before the archive (widgets and keys archived or revoked on their own stay so). */
  @RequirePermission('tenants:write')
  @Post(':tenantId/unarchive')
  @HttpCode(200)
  async unarchive(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string, @Context() context: RequestContext) {
    return toTenant(await this.tenants.setArchived(scope, tenantId, false, context));
  }
}
