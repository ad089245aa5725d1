import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Context, CurrentPrincipal, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { PageQueryDto } from '../common/validation/page-query.dto';
import { CreateApiKeyDto } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

const KEY_ID = new ParseUUIDPipe({ exceptionFactory: () => new TenantApiError(TenantApiErrorCode.ApiKeyNotFound, 'No such API key.') });

@Controller('orgs/:orgId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** The key is in this response only; Keyring keeps its hash. */
  @RequirePermission('api-keys:manage')
  @Post()
  create(@CurrentScope() scope: Scope, @Body() dto: CreateApiKeyDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    return this.keys.create(scope, dto, principal, context);
  }

  @RequirePermission('api-keys:read')
  @Get()
  list(@CurrentScope() scope: Scope, @Query() query: PageQueryDto) {
    return this.keys.list(scope, query.limit, query.cursor);
  }

  @RequirePermission('api-keys:manage')
  @Delete(':keyId')
  revoke(@CurrentScope() scope: Scope, @Param('keyId', KEY_ID) keyId: string, @Context() context: RequestContext) {
    return this.keys.revoke(scope, keyId, context);
  }
}
