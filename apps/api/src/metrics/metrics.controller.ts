import { Controller, Get, Header, Headers, Inject, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../access/access.decorators';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { Metrics } from './metrics';

/**
 * /metrics on the app's port, outside /api/v1: only with KEYRING_METRICS_TOKEN set, and only to that bearer token.
 * Otherwise it is not here at all (404): see MetricsServer for the port of its own.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly tokenDigest: Buffer | null;

  constructor(
    private readonly metrics: Metrics,
    @Inject(KEYRING_CONFIG) config: KeyringConfig,
  ) {
    this.tokenDigest = config.metricsToken ? digest(config.metricsToken) : null;
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!this.tokenDigest) throw new NotFoundException('Metrics are served on their own port (KEYRING_METRICS_PORT), not here.');
    const presented = /^Bearer /i.test(authorization ?? '') ? authorization!.slice(7).trim() : '';
    if (!timingSafeEqual(digest(presented), this.tokenDigest)) {
      throw new UnauthorizedException('Send the metrics token as "Authorization: Bearer <KEYRING_METRICS_TOKEN>".');
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
