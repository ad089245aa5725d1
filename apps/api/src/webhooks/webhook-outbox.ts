import { Inject, Injectable } from '@nestjs/common';
import type { AuditAction, WebhookEventType } from '@keyring/contracts';
import type { EntityManager } from 'typeorm';
import type { ChainedEvent } from '../audit/audit-chain';
import { AuditObserver } from '../audit/audit-observer';
import { ChangeFeed } from '../changes/change-feed';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** The audit actions that are webhook events, and the event each one is. */
const EVENT_OF_ACTION: Partial<Record<AuditAction, WebhookEventType>> = {
  'secret.rotated': 'secret.rotated',
  'secret.rolled_back': 'secret.rolled_back',
  'secret.revealed': 'secret.revealed',
  'secret.destroyed': 'secret.destroyed',
  'secret.rotation_due': 'secret.rotation_due',
  'api_key.created': 'api_key.created',
  'api_key.revoked': 'api_key.revoked',
  'api_key.expiring': 'api_key.expiring',
  'member.joined': 'member.added',
  'member.removed': 'member.removed',
  'tenant.archived': 'tenant.archived',
};

/** The JSON body of Standard Webhooks: `{ type, timestamp, data }`, fixed once, sent as is on every attempt. */
export function webhookBody(type: string, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/**
 * The transactional outbox: each audit event that is a webhook event (and each signed checkpoint) becomes a
 * delivery row per subscribed endpoint, in the transaction that records it — committed with the change, or not at
 * all. The body holds what the audit event holds (never secret material: the audit writer refuses it).
 */
@Injectable()
export class WebhookOutbox extends AuditObserver {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly changes: ChangeFeed,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {
    super();
  }

  async eventRecorded(manager: EntityManager, event: ChainedEvent): Promise<void> {
    const type = EVENT_OF_ACTION[event.action as AuditAction];
    if (!type || event.outcome !== 'success' || !event.organizationId) return;
    await this.publish(manager, event.organizationId, type, event.occurredAt, {
      organizationId: event.organizationId,
      tenantId: event.tenantId,
      target: event.targetType && event.targetId ? { type: event.targetType, id: event.targetId } : null,
      actor: { type: event.actorType, id: event.actorId, label: event.actorLabel },
      details: event.details,
      auditSeq: event.seq,
    });
  }

  async checkpointKept(manager: EntityManager, checkpoint: { organizationId: string; seq: number; hash: string; jws: string }): Promise<void> {
    await this.publish(manager, checkpoint.organizationId, 'audit.checkpoint', new Date(), {
      organizationId: checkpoint.organizationId,
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      checkpoint: checkpoint.jws,
    });
  }

  private async publish(manager: EntityManager, organizationId: string, type: WebhookEventType, at: Date, data: Record<string, unknown>): Promise<void> {
    const queued = await this.deliveries.enqueueForSubscribers(manager, organizationId, type, webhookBody(type, at, data), this.config.webhookRetryHours);
    // Every instance's dispatcher wakes when this commits.
    if (queued > 0) await this.changes.publish(manager, { kind: 'webhook-deliveries', id: organizationId });
  }
}
