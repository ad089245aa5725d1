import { Module } from '@nestjs/common';
import { CustodyModule } from '../custody/custody.module';
import { IdentityModule } from '../identity/identity.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { TenantApiModule } from '../tenant-api/tenant-api.module';
import { OffboardingController } from './offboarding.controller';
import { OffboardingService } from './offboarding.service';

/** What someone who leaves could still use, and queueing it for rotation: a reader of the features below. */
@Module({
  imports: [IdentityModule, OrganizationsModule, CustodyModule, TenantApiModule],
  controllers: [OffboardingController],
  providers: [OffboardingService],
})
export class OffboardingModule {}
