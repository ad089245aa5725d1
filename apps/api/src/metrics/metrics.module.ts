import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics';
import { MetricsServer } from './metrics-server';

/** Metrics are recorded by every feature, hence global. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, MetricsServer],
  exports: [Metrics],
})
export class MetricsModule {}
