import type { Webhook, WebhookDelivery, WebhookEventType } from '@keyring/contracts';
import { iso, isoOrNull } from '../common/http/iso';
import type { DeliveryView } from './webhook-deliveries.repository';
import type { WebhookView } from './webhooks.repository';

/** The repository's row as the libs/contracts type (never the secret). */
export function toWebhook(webhook: WebhookView): Webhook {
  const overlapUntil = webhook.previousSecretExpiresAt;
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    events: webhook.events,
    enabled: webhook.disabledAt === null,
    disabledReason: webhook.disabledReason,
    // Past its end, the previous secret signs no more: nothing to tell.
    previousSecretExpiresAt: overlapUntil !== null && new Date(overlapUntil) > new Date() ? iso(overlapUntil) : null,
    createdAt: iso(webhook.createdAt),
    updatedAt: iso(webhook.updatedAt),
  };
}

export function toWebhookDelivery(delivery: DeliveryView): WebhookDelivery {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    eventType: delivery.eventType as WebhookEventType | 'webhook.test',
    status: delivery.status,
    attempts: delivery.attempts,
    responseStatus: delivery.responseStatus,
    latencyMs: delivery.latencyMs,
    lastError: delivery.lastError,
    responseBody: delivery.responseBody,
    createdAt: iso(delivery.createdAt),
    lastAttemptAt: isoOrNull(delivery.lastAttemptAt),
    nextAttemptAt: delivery.status === 'pending' ? iso(delivery.nextAttemptAt) : null,
    completedAt: isoOrNull(delivery.completedAt),
  };
}
