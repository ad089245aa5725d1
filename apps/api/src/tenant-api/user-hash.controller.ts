import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CurrentApiKey, RequireApiKey } from '../access/access.decorators';
import type { ApiKeyPrincipal } from './api-keys.repository';
import { UserHashBatchDto, UserHashRequestDto, VerifyUserHashDto } from './api-keys.dto';
import { TenantApiError, TenantApiErrorCode } from './tenant-api.errors';
import { UserHashService } from './user-hash.service';

const WIDGET_ID = new ParseUUIDPipe({
  exceptionFactory: () => new TenantApiError(TenantApiErrorCode.WidgetNotFound, 'No such widget for this API key.'),
});

/** What tenants' backends call, with an API key, on every page view of a signed-in visitor. */
@Controller('widgets/:widgetId/user-hash')
export class UserHashController {
  constructor(private readonly userHashes: UserHashService) {}

  @RequireApiKey('user-hash:issue')
  @Post()
  @HttpCode(200)
  async issue(@CurrentApiKey() key: ApiKeyPrincipal, @Param('widgetId', WIDGET_ID) widgetId: string, @Body() dto: UserHashRequestDto) {
    const [issued] = await this.userHashes.issue(key, widgetId, [dto.userIdentifier]);
    return issued;
  }

  @RequireApiKey('user-hash:issue')
  @Post('batch')
  @HttpCode(200)
  async batch(@CurrentApiKey() key: ApiKeyPrincipal, @Param('widgetId', WIDGET_ID) widgetId: string, @Body() dto: UserHashBatchDto) {
    return { items: await this.userHashes.issue(key, widgetId, dto.userIdentifiers) };
  }

  @RequireApiKey('user-hash:verify')
  @Post('verify')
  @HttpCode(200)
  verify(@CurrentApiKey() key: ApiKeyPrincipal, @Param('widgetId', WIDGET_ID) widgetId: string, @Body() dto: VerifyUserHashDto) {
    return this.userHashes.verify(key, widgetId, dto.userHash);
  }
}
