import { Inject, Injectable } from '@nestjs/common';
import type { WebhookEventType } from '@keyring/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import type { RequestContext } from '../access/request-context';
import type { Scope } from '../access/scope';
import { AuditWriter } from '../audit/audit-writer.service';
import { ChangeFeed } from '../changes/change-feed';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { originOf, type OutboundPolicy, TargetRefused } from '../common/outbound/outbound-address';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { outboundPolicy } from '../config/outbound-policy';
import { Envelope } from '../crypto/envelope';
import { webhookBody } from './webhook-outbox';
import { WebhookDeliveriesRepository, type DeliveryView } from './webhook-deliveries.repository';
import { newWebhookSecret, webhookSecretBinding } from './webhook-signature';
import { checkTarget, parseTargetUrl } from './webhook-target';
import type { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';
import { deliveryNotFound, targetRefused, tenantScopeForbidden, webhookNotFound } from './webhooks.errors';
import { WebhooksRepository, type WebhookView } from './webhooks.repository';

const DEFAULT_PAGE = 50;
/** After a rotation, the old secret signs too for this long, so that receivers can switch without a gap. */
const SECRET_OVERLAP_HOURS = 24;

const pageAfter = (cursor?: string) => {
  const after = cursor ? decodeCursor(cursor, 2) : undefined;
  return after ? { createdAt: String(after[0]), id: String(after[1]) } : undefined;
};
const pageKey = (row: { createdAt: Date; id: string }) => [new Date(row.createdAt).toISOString(), row.id];

/** An organization's webhook endpoints: their URLs (checked against SSRF), events, signing secrets and deliveries. */
@Injectable()
export class WebhooksService {
  private readonly policy: OutboundPolicy;

  constructor(
    private readonly db: DataSource,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly envelope: Envelope,
    private readonly audit: AuditWriter,
    private readonly changes: ChangeFeed,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {
    this.policy = outboundPolicy(config);
  }

  /** The secret is in this answer only; Keyring keeps it encrypted under the master key. */
  async create(scope: Scope, dto: CreateWebhookDto, principal: Principal, context: RequestContext): Promise<{ webhook: WebhookView; secret: string }> {
    organizationWide(scope);
    const url = await this.checkedUrl(dto.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const secretEnc = await this.envelope.encrypt(secret, webhookSecretBinding(scope.organizationId, id));
    const events = [...new Set(dto.events)];
    const description = dto.description?.trim() || null;
    const webhook = await this.db.transaction(async (manager) => {
      const created = await this.webhooks.insert(manager, scope, { id, url, description, events, secretEnc, createdBy: principal.userId });
      await this.record(manager, scope, context, 'webhook.created', created, { origin: originOf(url), events, description });
      return created;
    });
    return { webhook, secret };
  }

  async list(scope: Scope, limit = DEFAULT_PAGE, cursor?: string) {
    organizationWide(scope);
    return keysetPage(await this.webhooks.list(scope, limit + 1, pageAfter(cursor)), limit, pageKey);
  }

  async get(scope: Scope, id: string): Promise<WebhookView> {
    organizationWide(scope);
    return (await this.webhooks.find(scope, id)) ?? throwNotFound();
  }

  /** Only what changed is written and audited; a URL is checked again. */
  async update(scope: Scope, id: string, dto: UpdateWebhookDto, context: RequestContext): Promise<WebhookView> {
    organizationWide(scope);
    const url = dto.url === undefined ? undefined : await this.checkedUrl(dto.url);
    return this.db.transaction(async (manager) => {
      const current = (await this.webhooks.lock(manager, scope, id)) ?? throwNotFound();
      const next = {
        url: url ?? current.url,
        description: dto.description === undefined ? current.description : dto.description.trim() || null,
        events: dto.events ? [...new Set(dto.events)] : current.events,
        enabled: dto.enabled ?? current.disabledAt === null,
      };
      const changes = changedFields(current, next);
      if (Object.keys(changes).length === 0) return current;
      const updated = await this.webhooks.update(manager, scope, id, next);
      await this.record(manager, scope, context, 'webhook.updated', updated, { origin: originOf(updated.url), changes });
      return updated;
    });
  }

  async delete(scope: Scope, id: string, context: RequestContext): Promise<void> {
    organizationWide(scope);
    await this.db.transaction(async (manager) => {
      const deleted = (await this.webhooks.delete(manager, scope, id)) ?? throwNotFound();
      await this.record(manager, scope, context, 'webhook.deleted', deleted, { origin: originOf(deleted.url) });
    });
  }

  /** A new secret, shown once; the old one keeps signing beside it for SECRET_OVERLAP_HOURS. */
  async rotateSecret(scope: Scope, id: string, context: RequestContext): Promise<{ webhook: WebhookView; secret: string }> {
    organizationWide(scope);
    const secret = newWebhookSecret();
    const secretEnc = await this.envelope.encrypt(secret, webhookSecretBinding(scope.organizationId, id));
    const webhook = await this.db.transaction(async (manager) => {
      if (!(await this.webhooks.lock(manager, scope, id))) throwNotFound();
      const overlapUntil = new Date(Date.now() + SECRET_OVERLAP_HOURS * 3_600_000);
      const rotated = await this.webhooks.rotateSecret(manager, scope, id, secretEnc, overlapUntil);
      await this.record(manager, scope, context, 'webhook.secret_rotated', rotated, { origin: originOf(rotated.url), previousSecretExpiresAt: overlapUntil.toISOString() });
      return rotated;
    });
    return { webhook, secret };
  }

  async deliveriesOf(scope: Scope, id: string, limit = DEFAULT_PAGE, cursor?: string) {
    await this.get(scope, id);
    return keysetPage(await this.deliveries.list(scope, id, limit + 1, pageAfter(cursor)), limit, pageKey);
  }

  /** A `webhook.test` event to this endpoint alone, whatever it subscribes to; sent like any other. */
  async sendTest(scope: Scope, id: string): Promise<DeliveryView> {
    const webhook = await this.get(scope, id);
    return this.db.transaction(async (manager) => {
      const delivery = await this.deliveries.enqueueOne(
        manager,
        scope,
        webhook.id,
        'webhook.test',
        (deliveryId) => webhookBody('webhook.test', new Date(), { organizationId: scope.organizationId, webhookId: webhook.id, deliveryId, message: 'A test event from Keyring.' }),
        this.config.webhookRetryHours,
      );
      await this.changes.publish(manager, { kind: 'webhook-deliveries', id: scope.organizationId });
      return delivery;
    });
  }

  /** The same delivery (same webhook-id and body) again, now, with a new retry period. */
  async redeliver(scope: Scope, id: string, deliveryId: string): Promise<DeliveryView> {
    await this.get(scope, id);
    return this.db.transaction(async (manager) => {
      const delivery = (await this.deliveries.redeliver(manager, scope, id, deliveryId, this.config.webhookRetryHours)) ?? throwDeliveryNotFound();
      await this.changes.publish(manager, { kind: 'webhook-deliveries', id: scope.organizationId });
      return delivery;
    });
  }

  private async checkedUrl(raw: string): Promise<string> {
    try {
      return (await checkTarget(parseTargetUrl(raw.trim(), this.policy), this.policy)).url.href;
    } catch (error) {
      if (error instanceof TargetRefused) throw targetRefused(error.message);
      throw error;
    }
  }

  private record(
    manager: EntityManager,
    scope: Scope,
    context: RequestContext,
    action: 'webhook.created' | 'webhook.updated' | 'webhook.deleted' | 'webhook.secret_rotated',
    webhook: WebhookView,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(manager, context, { organizationId: scope.organizationId, action, target: { type: 'webhook', id: webhook.id }, details });
  }
}

function organizationWide(scope: Scope): void {
  if (scope.tenants !== 'all') throw tenantScopeForbidden();
}

function throwNotFound(): never {
  throw webhookNotFound();
}

function throwDeliveryNotFound(): never {
  throw deliveryNotFound();
}

/** `{ field: { from, to } }` for each field that differs. */
function changedFields(
  current: WebhookView,
  next: { url: string; description: string | null; events: WebhookEventType[]; enabled: boolean },
): Record<string, { from: unknown; to: unknown }> {
  const before = { url: current.url, description: current.description, events: current.events, enabled: current.disabledAt === null };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ['url', 'description', 'events', 'enabled'] as const) {
    if (JSON.stringify(before[field]) === JSON.stringify(next[field])) continue;
    // Of a URL only the origins are said: a receiver's path may hold a token of its own (e.g. chat-service hooks).
    changes[field] = field === 'url' ? { from: originOf(before.url), to: originOf(next.url) } : { from: before[field], to: next[field] };
  }
  return changes;
}
