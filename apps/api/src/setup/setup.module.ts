import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { SetupController } from './setup.controller';
import { SetupService } from './setup.service';

/** First run: the first owner (identity) and organization (organizations), above both. */
@Module({
  imports: [IdentityModule, OrganizationsModule],
  controllers: [SetupController],
  providers: [SetupService],
})
export class SetupModule {}
