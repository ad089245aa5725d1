import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ImportController } from './imports/import.controller';
import { ImportRepository } from './imports/import.repository';
import { ImportService } from './imports/import.service';
import { OverviewController } from './overview.controller';
import { RotationDueWidgets } from './rotation-due';
import { SecretVersionsRepository } from './secret-versions.repository';
import { SecretVersionsService } from './secret-versions.service';
import { SettingsController } from './settings.controller';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';
import { WidgetSigningSource } from './widget-signing.service';
import { SecretVersionsController, WidgetsController } from './widgets.controller';
import { WidgetsRepository } from './widgets.repository';
import { WidgetsService } from './widgets.service';

/**
 * Tenants, widgets and their encrypted secret versions: the heart of Keyring. Exports services only: the tenant API
 * gets what it signs with from WidgetSigningSource and checks tenants through TenantsService; offboarding asks
 * WidgetsService and SecretVersionsService.
 */
@Module({
  imports: [IdentityModule],
  controllers: [TenantsController, WidgetsController, SecretVersionsController, SettingsController, OverviewController, ImportController],
  providers: [TenantsRepository, TenantsService, WidgetsRepository, WidgetsService, SecretVersionsRepository, SecretVersionsService, WidgetSigningSource, ImportRepository, ImportService, RotationDueWidgets],
  exports: [TenantsService, WidgetsService, SecretVersionsService, WidgetSigningSource, RotationDueWidgets],
})
export class CustodyModule {}
