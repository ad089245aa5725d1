import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, type PipeTransform } from '@nestjs/common';
import { Context, CurrentPrincipal, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import type { WidgetPage } from '@keyring/contracts';
import { PageQueryDto } from '../common/validation/page-query.dto';
import { CreateWidgetDto, ListWidgetsQueryDto, RevealSecretDto, RotateSecretDto, TestUserHashDto, UpdateWidgetDto } from './custody.dto';
import { CustodyError, CustodyErrorCode, widgetNotFound } from './custody.errors';
import { SecretVersionsService } from './secret-versions.service';
import { WidgetsService } from './widgets.service';
import { toSecretVersion, toWidget } from './custody.mappers';
import { mapPage } from '../common/http/cursor';

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
  async create(@CurrentScope() scope: Scope, @Body() dto: CreateWidgetDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return toWidget(await this.widgets.create(scope, dto, principal, context));
  }

  @RequirePermission('widgets:read')
  @Get()
  async list(@CurrentScope() scope: Scope, @Query() query: ListWidgetsQueryDto): Promise<WidgetPage> {
    const page = await this.widgets.list(scope, query);
    return { ...mapPage(page, toWidget), total: page.total, totalExact: page.totalExact };
  }

  /** The dashboard's "needs attention": no secret yet, or one older than the rotation policy allows. */
  @RequirePermission('widgets:read')
  @Get('needs-attention')
  async needsAttention(@CurrentScope() scope: Scope, @Query() query: PageQueryDto) {
    return { items: (await this.widgets.needingRotation(scope, query.limit)).items.map(({ reason, ...widget }) => ({ ...toWidget(widget), reason })) };
  }

  @RequirePermission('widgets:read')
  @Get(':widgetId')
  async get(@CurrentScope() scope: Scope, @Param('widgetId', WIDGET_ID) widgetId: string) {
    return toWidget(await this.widgets.get(scope, widgetId));
  }

  @RequirePermission('widgets:write')
  @Patch(':widgetId')
  async update(
    @CurrentScope() scope: Scope,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Body() dto: UpdateWidgetDto,
    @Context() context: RequestContext,
  ) {
    return toWidget(await this.widgets.update(scope, widgetId, dto, context));
  }

  @RequirePermission('widgets:write')
  @Post(':widgetId/archive')
  @HttpCode(200)
  async archive(@CurrentScope() scope: Scope, @Param('widgetId', WIDGET_ID) widgetId: string, @Context() context: RequestContext) {
    return toWidget(await this.widgets.archive(scope, widgetId, context));
  }
}

@Controller('orgs/:orgId/widgets/:widgetId')
export class SecretVersionsController {
  constructor(private readonly secrets: SecretVersionsService) {}

  @RequirePermission('widgets:read')
  @Get('secret-versions')
  async list(@CurrentScope() scope: Scope, @Param('widgetId', WIDGET_ID) widgetId: string) {
    return { items: (await this.secrets.list(scope, widgetId)).items.map(toSecretVersion) };
  }

  /** Rotation: the pasted secret becomes the active version at once. */
  @RequirePermission('secrets:rotate')
  @Post('secret-versions')
  async rotate(
    @CurrentScope() scope: Scope,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Body() dto: RotateSecretDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return toSecretVersion(await this.secrets.rotate(scope, widgetId, dto.secret, dto.expectedActiveVersion, principal, context));
  }

  @RequirePermission('secrets:rotate')
  @Post('secret-versions/:version/activate')
  @HttpCode(200)
  async activate(
    @CurrentScope() scope: Scope,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Param('version', VERSION) version: number,
    @Context() context: RequestContext,
  ) {
    return toSecretVersion(await this.secrets.activate(scope, widgetId, version, context));
  }

  @RequirePermission('secrets:destroy')
  @Delete('secret-versions/:version')
  async destroy(
    @CurrentScope() scope: Scope,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Param('version', VERSION) version: number,
    @Context() context: RequestContext,
  ) {
    return toSecretVersion(await this.secrets.destroy(scope, widgetId, version, context));
  }

  @RequirePermission('secrets:reveal')
  @Post('secret-versions/:version/reveal')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  reveal(
    @CurrentScope() scope: Scope,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Param('version', VERSION) version: number,
    @Body() dto: RevealSecretDto,
    @CurrentPrincipal() principal: Principal,
    @Context() context: RequestContext,
  ) {
    return this.secrets.reveal(scope, widgetId, version, dto.password, dto.reason, principal, context);
  }

  @RequirePermission('user-hash:test')
  @Post('test-user-hash')
  @HttpCode(200)
  testUserHash(
    @CurrentScope() scope: Scope,
    @Param('widgetId', WIDGET_ID) widgetId: string,
    @Body() dto: TestUserHashDto,
    @Context() context: RequestContext,
  ) {
    return this.secrets.testUserHash(scope, widgetId, dto.userIdentifier, context);
  }
}
