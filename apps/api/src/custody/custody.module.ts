import { OverviewController } from './overview.controller';
import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { MasterKeyCoverage } from './master-key-usage';
import { SecretVersionsRepository } from './secret-versions.repository';
import { SecretVersionsService } from './secret-versions.service';
import { SettingsController } from './settings.controller';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';
import { SecretVersionsController, WidgetsController } from './widgets.controller';
import { WidgetsRepository } from './widgets.repository';
import { WidgetsService } from './widgets.service';

/** Tenants, widgets and their encrypted secret versions: the heart of Keyring. */
@Module({
  imports: [OrganizationsModule],
  controllers: [TenantsController, WidgetsController, SecretVersionsController, SettingsController, OverviewController],
  providers: [TenantsRepository, TenantsService, WidgetsRepository, WidgetsService, SecretVersionsRepository, SecretVersionsService, MasterKeyCoverage],
  exports: [WidgetsRepository, SecretVersionsRepository, TenantsRepository, MasterKeyCoverage],
})
export class CustodyModule {}
