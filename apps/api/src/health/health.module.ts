import { Module } from '@nestjs/common';
import { CustodyModule } from '../custody/custody.module';
import { HealthController } from './health.controller';
import { Lifecycle } from './lifecycle';

/** Probes; readiness includes the master keys the stored secrets need (custody knows which). */
@Module({ imports: [CustodyModule], controllers: [HealthController], providers: [Lifecycle] })
export class HealthModule {}
