import { Module } from '@nestjs/common';
import { CustodyModule } from '../custody/custody.module';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { ExpiringApiKeys } from './expiring-api-keys';
import { RateLimiter } from './rate-limiter';
import { UsageController } from './usage.controller';
import { UsageRecorder } from './usage-recorder';
import { UsageRollup } from './usage-rollup';
import { UserHashRoutes } from './user-hash.routes';
import { UserHashService } from './user-hash.service';

/** API keys, the user-hash endpoints that tenants' backends call with them, and their usage. */
@Module({
  imports: [CustodyModule],
  controllers: [ApiKeysController, UsageController],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeyAuthenticator, UserHashService, RateLimiter, UsageRecorder, UsageRollup, UserHashRoutes, ExpiringApiKeys],
  exports: [UserHashRoutes, ApiKeysService, ExpiringApiKeys],
})
export class TenantApiModule {}
