import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Context, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { CreateTenantDto, ListQueryDto, UpdateTenantDto } from './custody.dto';
import { tenantNotFound } from './custody.errors';
import { TenantsService } from './tenants.service';

const TENANT_ID = new ParseUUIDPipe({ exceptionFactory: tenantNotFound });

@Controller('orgs/:orgId/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @RequirePermission('tenants:write')
  @Post()
  create(@CurrentScope() scope: Scope, @Body() dto: CreateTenantDto, @Context() context: RequestContext) {
    return this.tenants.create(scope, dto.name, context);
  }

  @RequirePermission('tenants:read')
  @Get()
  list(@CurrentScope() scope: Scope, @Query() query: ListQueryDto) {
    return this.tenants.list(scope, query);
  }

  @RequirePermission('tenants:read')
  @Get(':tenantId')
  get(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string) {
    return this.tenants.get(scope, tenantId);
  }

  @RequirePermission('tenants:write')
  @Patch(':tenantId')
  update(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string, @Body() dto: UpdateTenantDto, @Context() context: RequestContext) {
    return this.tenants.rename(scope, tenantId, dto.name, context);
  }

  /** Stops the tenant's widgets and API keys on every instance; a second archive changes nothing. */
  @RequirePermission('tenants:write')
  @Post(':tenantId/archive')
  @HttpCode(200)
  archive(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string, @Context() context: RequestContext) {
    return this.tenants.setArchived(scope, tenantId, true, context);
  }

  /** Restores exactly what was active before the archive (widgets and keys archived or revoked on their own stay so). */
  @RequirePermission('tenants:write')
  @Post(':tenantId/unarchive')
  @HttpCode(200)
  unarchive(@CurrentScope() scope: Scope, @Param('tenantId', TENANT_ID) tenantId: string, @Context() context: RequestContext) {
    return this.tenants.setArchived(scope, tenantId, false, context);
  }
}
