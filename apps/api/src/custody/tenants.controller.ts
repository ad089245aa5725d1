import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Context, CurrentPrincipal, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { CreateTenantDto, ListQueryDto, UpdateTenantDto } from './custody.dto';
import { tenantNotFound } from './custody.errors';
import { TenantsService } from './tenants.service';

const TENANT_ID = new ParseUUIDPipe({ exceptionFactory: tenantNotFound });

@Controller('orgs/:orgId/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @RequirePermission('tenants:write')
  @Post()
  create(@Param('orgId') orgId: string, @Body() dto: CreateTenantDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.tenants.create(orgId, dto.name, principal, context);
  }

  @RequirePermission('tenants:read')
  @Get()
  list(@Param('orgId') orgId: string, @Query() query: ListQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.tenants.list(orgId, principal, query);
  }

  @RequirePermission('tenants:read')
  @Get(':tenantId')
  get(@Param('orgId') orgId: string, @Param('tenantId', TENANT_ID) tenantId: string, @CurrentPrincipal() principal: Principal) {
    return this.tenants.get(orgId, tenantId, principal);
  }

  @RequirePermission('tenants:write')
  @Patch(':tenantId')
  update(
    @Param('orgId') orgId: string,
    @Param('tenantId', TENANT_ID) tenantId: string,
    @Body() dto: UpdateTenantDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.tenants.rename(orgId, tenantId, dto.name, principal, context);
  }

  @RequirePermission('tenants:write')
  @Post(':tenantId/archive')
  @HttpCode(200)
  archive(
    @Param('orgId') orgId: string,
    @Param('tenantId', TENANT_ID) tenantId: string,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.tenants.archive(orgId, tenantId, principal, context);
  }
}
