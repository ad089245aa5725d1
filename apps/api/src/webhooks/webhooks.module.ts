import { Module } from '@nestjs/common';
import { TenantApiModule } from '../tenant-api/tenant-api.module';
import { CustodyModule } from '../custody/custody.module';
import { DeliveryRetention } from './delivery-retention';
import { Reminders } from './reminders';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookOutbox } from './webhook-outbox';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks (#17): endpoints per organization, the outbox the audit writer fills (WebhookOutbox, bound as the
 * audit layer's AuditObserver in app.module), the dispatcher every instance runs, the reminders job and the
 * delivery log's retention.
 */
@Module({
  imports: [CustodyModule, TenantApiModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhookDeliveriesRepository, WebhooksService, WebhookOutbox, WebhookDispatcher, Reminders, DeliveryRetention],
  exports: [WebhookOutbox],
})
export class WebhooksModule {}
