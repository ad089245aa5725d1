import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionsService } from './sessions.service';
import { SetupController } from './setup.controller';
import { SetupService } from './setup.service';
import { TotpService } from './totp.service';

@Module({
  imports: [OrganizationsModule],
  controllers: [SetupController, AuthController],
  providers: [AuthService, SetupService, SessionsService, TotpService],
  exports: [SessionsService],
})
export class IdentityModule {}
