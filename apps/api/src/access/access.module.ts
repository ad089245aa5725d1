import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IdentityModule } from '../identity/identity.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AccessGuard } from './access.guard';

/** Installs the AccessGuard on every route of the app. */
@Module({
  imports: [IdentityModule, OrganizationsModule],
  providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
})
export class AccessModule {}
