import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryStatus } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { Scope } from '../access/scope';
import { updateReturning } from '../database/update-returning';

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  lastError: string | null;
  responseBody: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  completedAt: Date | null;
}

/** A delivery an instance has claimed: what it needs to send it, and the claim that lets it record the outcome. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  organizationId: string;
  payload: string;
  /** Including this one. */
  attempts: number;
  retryUntil: Date;
  leaseToken: string;
  url: string;
  secretEnc: string;
  previousSecretEnc: string | null;
  previousSecretExpiresAt: Date | null;
}

/** An attempt's outcome with the claim it was made under. */
export type RecordedAttempt = AttemptRecord & { id: string; leaseToken: string };

/** How an attempt ended, as the delivery log keeps it. */
export interface AttemptRecord {
  status: WebhookDeliveryStatus;
  /** When pending: the next attempt. */
  nextAttemptAt: Date | null;
  responseStatus: number | null;
  responseBody: string | null;
  latencyMs: number;
  lastError: string | null;
}

const COLUMNS = `id, webhook_id AS "webhookId", event_type AS "eventType", status, attempts, response_status AS "responseStatus",
  latency_ms AS "latencyMs", last_error AS "lastError", response_body AS "responseBody", created_at AS "createdAt",
  last_attempt_at AS "lastAttemptAt", next_attempt_at AS "nextAttemptAt", completed_at AS "completedAt"`;

/** The outbox of webhook deliveries: written with the changes they report, claimed and updated by dispatchers. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly db: DataSource) {}

  /** A delivery of `payload` to each live webhook of the organization subscribed to `eventType`; how many. */
  async enqueueForSubscribers(manager: EntityManager, organizationId: string, eventType: string, payload: string, retryHours: number): Promise<number> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO webhook_deliveries (webhook_id, organization_id, event_type, payload, retry_until)
       SELECT id, organization_id, $2, $3, now() + make_interval(hours => $4)
         FROM webhooks WHERE organization_id = $1 AND disabled_at IS NULL AND $2 = ANY(events)
       RETURNING id`,
      [organizationId, eventType, payload, retryHours],
    );
    return rows.length;
  }

  /** One delivery to one webhook (a test event), built from its id (the webhook-id it is sent with). */
  async enqueueOne(manager: EntityManager, scope: Scope, webhookId: string, eventType: string, payloadOf: (id: string) => string, retryHours: number): Promise<DeliveryView> {
    const [{ id }] = await manager.query<{ id: string }[]>('SELECT gen_random_uuid() AS id');
    const [row] = await manager.query<DeliveryView[]>(
      `INSERT INTO webhook_deliveries (id, webhook_id, organization_id, event_type, payload, retry_until)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6)) RETURNING ${COLUMNS}`,
      [id, webhookId, scope.organizationId, eventType, payloadOf(id), retryHours],
    );
    return row;
  }

  async list(scope: Scope, webhookId: string, limit: number, after?: { createdAt: string; id: string }): Promise<DeliveryView[]> {
    return this.db.query<DeliveryView[]>(
      `SELECT ${COLUMNS} FROM webhook_deliveries
        WHERE organization_id = $1 AND webhook_id = $2 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [scope.organizationId, webhookId, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  /** Sent again as soon as possible, with the same id and body, and another full retry period. */
  async redeliver(manager: EntityManager, scope: Scope, webhookId: string, id: string, retryHours: number): Promise<DeliveryView | undefined> {
    const [row] = await updateReturning<DeliveryView>(
      manager,
      `UPDATE webhook_deliveries
          SET status = 'pending', next_attempt_at = now(), retry_until = now() + make_interval(hours => $4), completed_at = NULL, lease_token = NULL
        WHERE organization_id = $1 AND webhook_id = $2 AND id = $3 RETURNING ${COLUMNS}`,
      [scope.organizationId, webhookId, id, retryHours],
    );
    return row;
  }

  /**
   * Claims up to `limit` due deliveries of live webhooks for `leaseMs`: SKIP LOCKED lets instances claim side by
   * side without waiting or taking the same row, and the lease (next_attempt_at moved past the attempt's end)
   * keeps the others off it while it is sent. If this instance dies, the lease runs out and another sends it.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return updateReturning<ClaimedDelivery>(
      this.db.manager,
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.disabled_at IS NULL
          ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET lease_token = gen_random_uuid(), next_attempt_at = now() + make_interval(secs => $2::float8 / 1000),
              attempts = d.attempts + 1, last_attempt_at = now()
         FROM due, webhooks w
        WHERE d.id = due.id AND w.id = d.webhook_id
       RETURNING d.id, d.webhook_id AS "webhookId", d.organization_id AS "organizationId", d.payload, d.attempts,
                 d.retry_until AS "retryUntil", d.lease_token AS "leaseToken", w.url, w.secret_enc AS "secretEnc",
                 w.previous_secret_enc AS "previousSecretEnc", w.previous_secret_expires_at AS "previousSecretExpiresAt"`,
      [limit, leaseMs],
    );
  }

  /**
   * Records the outcomes of attempts, each only if its instance's claim still holds (a lease lost meanwhile leaves
   * the row to its new holder); the ids recorded. One statement for any number of them.
   */
  async record(manager: EntityManager, attempts: RecordedAttempt[]): Promise<string[]> {
    if (attempts.length === 0) return [];
    const column = <K extends keyof (typeof attempts)[number]>(key: K) => attempts.map((attempt) => attempt[key]);
    const rows = await updateReturning<{ id: string }>(
      manager,
      `UPDATE webhook_deliveries d
          SET status = a.status, next_attempt_at = COALESCE(a.next_attempt_at, d.next_attempt_at), response_status = a.response_status,
              response_body = a.response_body, latency_ms = a.latency_ms, last_error = a.last_error, lease_token = NULL,
              completed_at = CASE WHEN a.status = 'pending' THEN NULL ELSE now() END
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::int[], $8::text[])
              AS a(id, lease_token, status, next_attempt_at, response_status, response_body, latency_ms, last_error)
        WHERE d.id = a.id AND d.lease_token = a.lease_token
       RETURNING d.id`,
      [
        column('id'),
        column('leaseToken'),
        column('status'),
        column('nextAttemptAt'),
        column('responseStatus'),
        column('responseBody'),
        column('latencyMs'),
        column('lastError'),
      ],
    );
    return rows.map((row) => row.id);
  }

  /** How long until the next pending delivery of a live webhook is due (by the database's clock); null: none is. */
  async msUntilNextDue(): Promise<number | null> {
    const [{ ms }] = await this.db.query<{ ms: number | null }[]>(
      `SELECT (extract(epoch FROM min(d.next_attempt_at) - now()) * 1000)::float8 AS ms
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND w.disabled_at IS NULL`,
    );
    return ms;
  }

  /** Deletes up to `limit` deliveries that ended (succeeded or failed) over `days` days ago; how many. */
  async deleteFinishedBefore(days: number, limit: number): Promise<number> {
    const rows = await updateReturning<{ id: string }>(
      this.db.manager,
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND completed_at < now() - make_interval(days => $1) LIMIT $2)
       RETURNING id`,
      [days, limit],
    );
    return rows.length;
  }

  /** Turns a webhook off (its receiver answered 410 Gone); what to audit, or nothing if it was off already. */
  async disable(manager: EntityManager, webhookId: string, reason: string): Promise<{ organizationId: string; url: string } | undefined> {
    const [row] = await updateReturning<{ organizationId: string; url: string }>(
      manager,
      `UPDATE webhooks SET disabled_at = now(), disabled_reason = $2, updated_at = now()
        WHERE id = $1 AND disabled_at IS NULL RETURNING organization_id AS "organizationId", url`,
      [webhookId, reason],
    );
    return row;
  }
}
