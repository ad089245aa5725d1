import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuditAction } from '@keyring/contracts';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../access/request-context';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { Metrics } from '../metrics/metrics';
import {
  assertNoSecretFields,
  auditEventMac,
  GENESIS_HASH,
  storableDetails,
  storableText,
  SYSTEM_CHAIN,
  type AuditOutcome,
  type ChainedEvent,
} from './audit-chain';
import { keepCheckpoint } from './audit-checkpoint';
import { AuditKeys } from './audit-keys';
import { AuditObserver } from './audit-observer';

export interface AuditRecord {
  /** The organization whose chain gets the event; null for the installation's own chain. */
  organizationId: string | null;
  /** `<thing>.<verb in the past>`, e.g. `member.invited`, `secret.rotated`: one of libs/contracts' AUDIT_ACTION_GROUPS. */
  action: AuditAction;
  target?: { type: string; id: string };
  tenantId?: string | null;
  outcome?: AuditOutcome;
  /** Facts about the action, never secret material (enforced). */
  details?: Record<string, unknown>;
}

/** Checkpoint interval of the CLI, which has no configuration of the server's. */
const DEFAULT_CHECKPOINT_EVENTS = 1000;

/**
 * Appends events to an organization's MAC chain inside the caller's transaction, so that an action and its
 * audit record commit together or not at all; every `KEYRING_AUDIT_CHECKPOINT_EVENTS` events, a signed checkpoint.
 */
@Injectable()
export class AuditWriter {
  private readonly checkpointEvents: number;

  constructor(
    private readonly keys: AuditKeys,
    @Optional() @Inject(KEYRING_CONFIG) config?: KeyringConfig,
    /** Absent in the CLI, which has no metrics endpoint. */
    @Optional() private readonly metrics?: Metrics,
    /** Webhooks' outbox; absent in the CLI. */
    @Optional() private readonly observer?: AuditObserver,
  ) {
    this.checkpointEvents = config?.auditCheckpointEvents ?? DEFAULT_CHECKPOINT_EVENTS;
  }

  /**
   * An event about a user's own account (sign-in, two-factor changes): it goes to the chain of every organization
   * the user belongs to, so each one's admins see it, or to the installation's chain when there is none.
   */
  async recordForUser(
    manager: EntityManager,
    context: RequestContext,
    userId: string | null,
    record: Omit<AuditRecord, 'organizationId' | 'target'>,
  ): Promise<void> {
    const memberships = userId
      ? await manager.query<{ organization_id: string }[]>('SELECT organization_id FROM memberships WHERE user_id = $1 ORDER BY organization_id', [userId])
      : [];
    const target = userId ? { type: 'user', id: userId } : undefined;
    const chains = memberships.length > 0 ? memberships.map((m) => m.organization_id) : [null];
    for (const organizationId of chains) await this.record(manager, context, { ...record, organizationId, target });
  }

  async record(manager: EntityManager, context: RequestContext, record: AuditRecord): Promise<void> {
    await this.recordMany(manager, context, [record]);
  }

  /**
   * Several events of one organization's chain, in order, as one action (a bulk import): one wait for the chain's
   * lock and one read of its head, then multi-row INSERTs, with the checkpoints each event due one would have had.
   */
  async recordMany(manager: EntityManager, context: RequestContext, records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.append(manager, context, records);
    } catch (error) {
      this.metrics?.auditWriteFailed();
      throw error;
    }
  }

  private async append(manager: EntityManager, context: RequestContext, records: readonly AuditRecord[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Audit events are written inside the transaction of the action they record');
    }
    // PostgreSQL gives UUIDs back in lower case, whatever case the caller (a route's :orgId) wrote them in.
    const organizationId = records[0].organizationId?.toLowerCase() ?? null;
    if (records.some((record) => (record.organizationId?.toLowerCase() ?? null) !== organizationId)) {
      throw new Error('Events recorded together belong to one chain');
    }
    for (const record of records) assertNoSecretFields(record.details ?? {});
    const text = (value: string | null | undefined) => (value == null ? null : storableText(value));
    const chain = organizationId ?? SYSTEM_CHAIN;
    const macKey = this.keys.activeMacKey;
    // Writers of one chain queue here until the transaction ends: no two events get the same seq or prev_hash.
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`audit:${chain}`]);
    const [last] = await manager.query<({ seq: string; hash: string } | undefined)[]>(
      `SELECT seq, hash FROM audit_events
        WHERE COALESCE(organization_id, $2::uuid) = $1::uuid
        ORDER BY COALESCE(organization_id, $2::uuid), seq DESC LIMIT 1`,
      [chain, SYSTEM_CHAIN],
    );
    let head = { seq: last ? Number(last.seq) : 0, hash: last ? last.hash : GENESIS_HASH };
    const occurredAt = new Date();
    for (let start = 0; start < records.length; start += INSERT_BATCH) {
      const rows: (ChainedEvent & { hash: string })[] = [];
      for (const record of records.slice(start, start + INSERT_BATCH)) {
        // What is MACed is exactly what PostgreSQL gives back, so that verifying recomputes the same MAC.
        const event: ChainedEvent = {
          organizationId,
          seq: head.seq + 1,
          occurredAt,
          actorType: context.actor.type,
          actorId: text(context.actor.id),
          actorLabel: text(context.actor.label),
          action: storableText(record.action),
          targetType: text(record.target?.type),
          targetId: text(record.target?.id),
          tenantId: record.tenantId?.toLowerCase() ?? null,
          ip: text(context.ip),
          userAgent: text(context.userAgent),
          requestId: text(context.requestId),
          outcome: record.outcome ?? 'success',
          details: storableDetails(record.details ?? {}),
          prevHash: head.hash,
          keyId: macKey.id,
        };
        head = { seq: event.seq, hash: auditEventMac(event, macKey.key) };
        rows.push({ ...event, hash: head.hash });
      }
      await insertEvents(manager, rows);
      for (const { hash, ...event } of rows) {
        await this.observer?.eventRecorded(manager, event);
        if (event.seq % this.checkpointEvents === 0) {
          const jws = await keepCheckpoint(manager, this.keys.signer, chain, { seq: event.seq, hash });
          if (organizationId) await this.observer?.checkpointKept(manager, { organizationId, seq: event.seq, hash, jws });
        }
      }
    }
  }
}

/** Events per INSERT: 18 parameters each, well under PostgreSQL's 65,535. */
const INSERT_BATCH = 1000;

async function insertEvents(manager: EntityManager, rows: (ChainedEvent & { hash: string })[]): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((event) => {
    const fields = [
      event.organizationId,
      event.seq,
      event.occurredAt,
      event.actorType,
      event.actorId,
      event.actorLabel,
      event.action,
      event.targetType,
      event.targetId,
      event.tenantId,
      event.ip,
      event.userAgent,
      event.requestId,
      event.outcome,
      JSON.stringify(event.details),
      event.prevHash,
      event.keyId,
      event.hash,
    ];
    const first = values.length + 1;
    values.push(...fields);
    return `(${fields.map((_, i) => `$${first + i}`).join(', ')})`;
  });
  await manager.query(
    `INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_id, actor_label, action,
       target_type, target_id, tenant_id, ip, user_agent, request_id, outcome, details, prev_hash, key_id, hash)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}
