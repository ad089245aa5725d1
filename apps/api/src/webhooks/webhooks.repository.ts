import { Injectable } from '@nestjs/common';
import type { WebhookEventType } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { Scope } from '../access/scope';
import { updateReturning } from '../database/update-returning';

export interface WebhookView {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  disabledAt: Date | null;
  disabledReason: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, url, description, events, disabled_at AS "disabledAt", disabled_reason AS "disabledReason",
  previous_secret_expires_at AS "previousSecretExpiresAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Webhooks are the organization's: every query is by `scope.organizationId` (tenant-limited members get none). */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    manager: EntityManager,
    scope: Scope,
    webhook: { id: string; url: string; description: string | null; events: WebhookEventType[]; secretEnc: string; createdBy: string | null },
  ): Promise<WebhookView> {
    const [row] = await manager.query<WebhookView[]>(
      `INSERT INTO webhooks (id, organization_id, url, description, events, secret_enc, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [webhook.id, scope.organizationId, webhook.url, webhook.description, webhook.events, webhook.secretEnc, webhook.createdBy],
    );
    return row;
  }

  async list(scope: Scope, limit: number, after?: { createdAt: string; id: string }): Promise<WebhookView[]> {
    return this.db.query<WebhookView[]>(
      `SELECT ${COLUMNS} FROM webhooks
        WHERE organization_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [scope.organizationId, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  async find(scope: Scope, id: string, manager: EntityManager = this.db.manager): Promise<WebhookView | undefined> {
    const [row] = await manager.query<WebhookView[]>(`SELECT ${COLUMNS} FROM webhooks WHERE organization_id = $1 AND id = $2`, [scope.organizationId, id]);
    return row;
  }

  /** The webhook, locked for the rest of the transaction (a change reads, decides, then writes). */
  async lock(manager: EntityManager, scope: Scope, id: string): Promise<WebhookView | undefined> {
    const [row] = await manager.query<WebhookView[]>(`SELECT ${COLUMNS} FROM webhooks WHERE organization_id = $1 AND id = $2 FOR UPDATE`, [scope.organizationId, id]);
    return row;
  }

  async update(
    manager: EntityManager,
    scope: Scope,
    id: string,
    changes: { url: string; description: string | null; events: WebhookEventType[]; enabled: boolean },
  ): Promise<WebhookView> {
    const [row] = await updateReturning<WebhookView>(
      manager,
      `UPDATE webhooks SET url = $3, description = $4, events = $5, updated_at = now(),
              disabled_at = CASE WHEN $6 THEN NULL ELSE COALESCE(disabled_at, now()) END,
              disabled_reason = CASE WHEN $6 THEN NULL WHEN disabled_at IS NULL THEN 'Turned off by a member' ELSE disabled_reason END
        WHERE organization_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [scope.organizationId, id, changes.url, changes.description, changes.events, changes.enabled],
    );
    return row;
  }

  async delete(manager: EntityManager, scope: Scope, id: string): Promise<WebhookView | undefined> {
    // TypeORM answers a DELETE like an UPDATE: [rows, count].
    const [row] = await updateReturning<WebhookView>(manager, `DELETE FROM webhooks WHERE organization_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [scope.organizationId, id]);
    return row;
  }

  /** The current secret becomes the previous one, which keeps signing until `overlapUntil`. */
  async rotateSecret(manager: EntityManager, scope: Scope, id: string, secretEnc: string, overlapUntil: Date): Promise<WebhookView> {
    const [row] = await updateReturning<WebhookView>(
      manager,
      `UPDATE webhooks SET previous_secret_enc = secret_enc, previous_secret_expires_at = $4, secret_enc = $3, updated_at = now()
        WHERE organization_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [scope.organizationId, id, secretEnc, overlapUntil],
    );
    return row;
  }
}
