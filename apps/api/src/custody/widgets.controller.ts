import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, type PipeTransform } from '@nestjs/common';
import { Context, CurrentPrincipal, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import { PageQueryDto } from '../organizations/members.dto';
import { CreateWidgetDto, ListWidgetsQueryDto, RevealSecretDto, RotateSecretDto, TestUserHashDto, UpdateWidgetDto } from './custody.dto';
import { CustodyError, CustodyErrorCode, widgetNotFound } from './custody.errors';
import { SecretVersionsService } from './secret-versions.service';
import { WidgetsService } from './widgets.service';

const WIDGET_ID = new ParseUUIDPipe({ exceptionFactory: widgetNotFound });
/** A version number as PostgreSQL's integer holds it; anything else names no version (not a 500 on overflow). */
const VERSION: PipeTransform<string, number> = {
  transform(value) {
    if (/^[1-9][0-9]{0,8}$/.test(value)) return Number(value);
    throw new CustodyError(CustodyErrorCode.VersionNotFound, 'No such secret version for this widget.');
  },
};

@Controller('orgs/:orgId/widgets')
export class WidgetsController {
  constructor(private readonly widgets: WidgetsService) {}

  @RequirePermission('widgets:write')
  @Post()
  create(@Param('orgId') orgId: string, @Body() dto: CreateWidgetDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.widgets.create(orgId, dto, principal, context);
  }

  @RequirePermission('widgets:read')
  @Get()
  list(@Param('orgId') orgId: string, @Query() query: ListWidgetsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.widgets.list(orgId, principal, query);
  }

  /** The dashboard's "needs attention": no secret yet, or one older than the rotation policy allows. */
  @RequirePermission('widgets:read')
  @Get('needs-attention')
  needsAttention(@Param('orgId') orgId: string, @Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.widgets.needingRotation(orgId, principal, query.limit);
  }

  @RequirePermission('widgets:read')
  @Get(':widgetId')
  get(@Param('orgId') orgId: string, @Param('widgetId', WIDGET_ID) widgetId: string, @CurrentPrincipal() principal: Principal) {
    return this.widgets.get(orgId, widgetId, principal);
  }

  @RequirePermission('widgets:write')
  @Patch(':widgetId')
  update(
    @Param('orgId') orgId: string,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Body() dto: UpdateWidgetDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.widgets.update(orgId, widgetId, dto, principal, context);
  }

  @RequirePermission('widgets:write')
  @Post(':widgetId/archive')
  @HttpCode(200)
  archive(@Param('orgId') orgId: string, @Param('widgetId', WIDGET_ID) widgetId: string, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.widgets.archive(orgId, widgetId, principal, context);
  }
}

@Controller('orgs/:orgId/widgets/:widgetId')
export class SecretVersionsController {
  constructor(private readonly secrets: SecretVersionsService) {}

  @RequirePermission('widgets:read')
  @Get('secret-versions')
  list(@Param('orgId') orgId: string, @Param('widgetId', WIDGET_ID) widgetId: string, @CurrentPrincipal() principal: Principal) {
    return this.secrets.list(orgId, widgetId, principal);
  }

  /** Rotation: the pasted secret becomes the active version at once. */
  @RequirePermission('secrets:rotate')
  @Post('secret-versions')
  rotate(
    @Param('orgId') orgId: string,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Body() dto: RotateSecretDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.secrets.rotate(orgId, widgetId, dto.secret, dto.expectedActiveVersion, principal, context);
  }

  @RequirePermission('secrets:rotate')
  @Post('secret-versions/:version/activate')
  @HttpCode(200)
  activate(
    @Param('orgId') orgId: string,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Param('version', VERSION) version: number,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.secrets.activate(orgId, widgetId, version, principal, context);
  }

  @RequirePermission('secrets:destroy')
  @Delete('secret-versions/:version')
  destroy(
    @Param('orgId') orgId: string,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Param('version', VERSION) version: number,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.secrets.destroy(orgId, widgetId, version, principal, context);
  }

  @RequirePermission('secrets:reveal')
  @Post('secret-versions/:version/reveal')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  reveal(
    @Param('orgId') orgId: string,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Param('version', VERSION) version: number,
    @Body() dto: RevealSecretDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.secrets.reveal(orgId, widgetId, version, dto.password, dto.reason, principal, context);
  }

  @RequirePermission('user-hash:test')
  @Post('test-user-hash')
  @HttpCode(200)
  testUserHash(
    @Param('orgId') orgId: string,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Body() dto: TestUserHashDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.secrets.testUserHash(orgId, widgetId, dto.userIdentifier, principal, context);
  }
}
