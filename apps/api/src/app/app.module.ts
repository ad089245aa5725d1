import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AccessGuard } from '../access/access.guard';
import { AuditModule } from '../audit/audit.module';
import { AuditStreamsModule } from '../audit-streams/audit-streams.module';
import { AuditObserver } from '../audit/audit-observer';
import { loggerOptions } from '../common/logging/logger-options';
import { ProblemDetailsFilter } from '../common/problem/problem-details.filter';
import { KEYRING_CONFIG, KeyringConfig } from '../config/keyring-config';
import { ConsoleModule } from '../console/console.module';
import { ChangesModule } from '../changes/changes.module';
import { CryptoModule } from '../crypto/crypto.module';
import { CustodyModule } from '../custody/custody.module';
import type { MasterKeys } from '../crypto/master-keys';
import { dataSourceOptions } from '../database/data-source';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { TenantApiModule } from '../tenant-api/tenant-api.module';
import { IdentityModule } from '../identity/identity.module';
import { MembershipDirectory } from '../identity/membership-directory';
import { Memberships } from '../organizations/memberships.service';
import { OffboardingModule } from '../offboarding/offboarding.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { SetupModule } from '../setup/setup.module';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { WebhooksModule } from '../webhooks/webhooks.module';

export interface AppOptions {
  config: KeyringConfig;
  /** The database actually used, as the app's role: `config.databaseUrl`, or the embedded one started for this run. */
  databaseUrl: string;
  /** The same database as the schema's owner, to apply migrations at start; `databaseUrl` when absent. */
  migrationDatabaseUrl?: string;
  logger: Logger;
  /** `config.masterKeys`, or the local key of a single-machine install. */
  masterKeys: MasterKeys;
}

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      // Global: the configuration is read by every feature, and the bindings below reach the lower modules that
      // declared what they need without importing the features above them.
      global: true,
      exports: [KEYRING_CONFIG, MembershipDirectory, AuditObserver],
      imports: [
        LoggerModule.forRoot(loggerOptions(options.logger)),
        TypeOrmModule.forRoot({ ...dataSourceOptions(options.databaseUrl), autoLoadEntities: true }),
        CryptoModule.register(options.masterKeys),
        ChangesModule.register(options.databaseUrl),
        AuditModule,
        AuditStreamsModule,
        IdentityModule,
        OrganizationsModule,
        SetupModule,
        CustodyModule,
        TenantApiModule,
        OffboardingModule,
        WebhooksModule,
        HealthModule,
        MetricsModule,
        ConsoleModule.register(options.config.consoleDir),
      ],
      providers: [
        { provide: KEYRING_CONFIG, useValue: options.config },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // The guard every route goes through (access/), given sessions and memberships by the features above it.
        { provide: APP_GUARD, useClass: AccessGuard },
        // Identity's session view lists the user's organizations: memberships are organizations' data, a layer above.
        { provide: MembershipDirectory, useExisting: Memberships },
        // The audit writer fills the webhooks' outbox in each event's transaction: webhooks are layers above it.
        { provide: AuditObserver, useExisting: WebhookOutbox },
      ],
    };
  }
}
