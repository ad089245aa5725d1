import { Module } from '@nestjs/common';
import { CustodyModule } from '../custody/custody.module';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { UserHashController } from './user-hash.controller';
import { UserHashService } from './user-hash.service';

/** API keys, and the user-hash endpoints that tenants' backends call with them. */
@Module({
  imports: [CustodyModule],
  controllers: [ApiKeysController, UserHashController],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeyAuthenticator, UserHashService],
  exports: [ApiKeyAuthenticator],
})
export class TenantApiModule {}
