import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { Lifecycle } from './lifecycle';
import { MasterKeyCoverage } from './master-key-usage';

/** Probes; readiness includes the master keys the stored secrets need (secret versions, TOTP and webhook secrets). */
@Module({ controllers: [HealthController], providers: [Lifecycle, MasterKeyCoverage] })
export class HealthModule {}
