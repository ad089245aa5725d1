import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Context, CurrentPrincipal, CurrentScope, RequirePermission } from '../access/access.decorators';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { CreateApiKeyDto, ListApiKeysQueryDto } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';
import { toApiKey } from './api-key.mapper';
import { mapPage } from '../common/http/cursor';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';

const KEY_ID = new ParseUUIDPipe({ exceptionFactory: () => new TenantApiError(TenantApiErrorCode.ApiKeyNotFound, 'No such API key.') });

@Controller('orgs/:orgId/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** The key is in this response only; Keyring keeps its hash. */
  @RequirePermission('api-keys:manage')
  @Post()
  async create(@CurrentScope() scope: Scope, @Body() dto: CreateApiKeyDto, @CurrentPrincipal() principal: Principal, @Context() context: RequestContext) {
    const { apiKey, key } = await this.keys.create(scope, dto, principal, context);
    return { apiKey: toApiKey(apiKey), key };
  }

  @RequirePermission('api-keys:read')
  @Get()
  async list(@CurrentScope() scope: Scope, @Query() query: ListApiKeysQueryDto) {
    return mapPage(await this.keys.list(scope, query), toApiKey);
  }

  @RequirePermission('api-keys:manage')
  @Delete(':keyId')
  async revoke(@CurrentScope() scope: Scope, @Param('keyId', KEY_ID) keyId: string, @Context() context: RequestContext) {
    return toApiKey(await this.keys.revoke(scope, keyId, context));
  }
}
