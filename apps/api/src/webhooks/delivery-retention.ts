import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

const EVERY_MS = 3_600_000;
/** Rows deleted per statement: short transactions, whatever the backlog. */
const BATCH = 1_000;

/**
 * Hourly and at start, on every instance (deleting is idempotent): finished deliveries older than
 * `webhookRetentionDays` leave the delivery log. Pending ones stay whatever their age (they end by success or by
 * failing after `webhookRetryHours`); the audit log keeps the events themselves.
 */
@Injectable()
export class DeliveryRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookRetention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => void this.prune().catch((error: unknown) => this.logger.warn(`Old webhook deliveries not deleted this round: ${(error as Error).message}`));
    this.timer = setInterval(run, EVERY_MS);
    this.timer.unref();
    run();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** How many deliveries were deleted. */
  async prune(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch = await this.deliveries.deleteFinishedBefore(this.config.webhookRetentionDays, BATCH);
      deleted += batch;
      if (batch < BATCH) return deleted;
    }
  }
}
