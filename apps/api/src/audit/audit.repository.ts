import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ActorType, AuditOutcome, StoredAuditEvent } from './audit-chain';

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  tenantId?: string;
  from?: string;
  to?: string;
}

// seq is cast for JSON; ORDER BY names the table's column, or it would sort by the cast and skip the index.
export const EVENT_COLUMNS = `organization_id AS "organizationId", seq::int AS seq, occurred_at AS "occurredAt",
  actor_type AS "actorType", actor_id AS "actorId", actor_label AS "actorLabel", action,
  target_type AS "targetType", target_id AS "targetId", tenant_id AS "tenantId", ip, user_agent AS "userAgent",
  request_id AS "requestId", outcome, details, prev_hash AS "prevHash", key_id AS "keyId", hash`;

@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * One page of an organization's events matching `filter`, in seq order (newest first unless `ascending`),
   * after the seq `afterSeq` in that order.
   */
  async page(
    organizationId: string,
    filter: AuditFilter,
    limit: number,
    afterSeq: number | null,
    ascending = false,
  ): Promise<StoredAuditEvent[]> {
    const params: unknown[] = [organizationId];
    const where = ['organization_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.action) add('action = ?', filter.action);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.targetType) add('target_type = ?', filter.targetType);
    if (filter.targetId) add('target_id = ?', filter.targetId);
    if (filter.tenantId) add('tenant_id = ?', filter.tenantId);
    // A time window also becomes a seq range (two index look-ups), so the scan stays on a seq index; the time
    // condition itself stays too, as clocks of several instances may disagree by a few milliseconds.
    if (filter.from) {
      add('occurred_at >= ?', filter.from);
      where.push(`seq >= COALESCE((SELECT min(seq) FROM audit_events WHERE organization_id = $1 AND occurred_at >= $${params.length}), 0)`);
    }
    if (filter.to) {
      add('occurred_at < ?', filter.to);
      where.push(`seq <= COALESCE((SELECT max(seq) FROM audit_events WHERE organization_id = $1 AND occurred_at < $${params.length}), 0)`);
    }
    if (afterSeq !== null) add(ascending ? 'seq > ?' : 'seq < ?', afterSeq);
    params.push(limit);
    return this.db.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}
        ORDER BY audit_events.seq ${ascending ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
  }

  /** Seq and hash of chosen events of an organization's chain (those that exist). */
  async hashesAt(organizationId: string, seqs: number[]): Promise<Map<number, string>> {
    const rows: { seq: number; hash: string }[] = await this.db.query(
      'SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 AND seq = ANY($2::bigint[])',
      [organizationId, seqs],
    );
    return new Map(rows.map((row) => [row.seq, row.hash]));
  }

  /** The newest event's seq and hash; null for an empty chain. */
  async head(organizationId: string): Promise<{ seq: number; hash: string } | null> {
    const [row] = await this.db.query(
      'SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1',
      [organizationId],
    );
    return row ?? null;
  }
}

export function toAuditEventView(event: StoredAuditEvent) {
  return {
    seq: event.seq,
    occurredAt: event.occurredAt,
    actor: { type: event.actorType as ActorType, id: event.actorId, label: event.actorLabel },
    action: event.action,
    target: event.targetType ? { type: event.targetType, id: event.targetId } : null,
    tenantId: event.tenantId,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    outcome: event.outcome as AuditOutcome,
    details: event.details,
    prevHash: event.prevHash,
    keyId: event.keyId,
    hash: event.hash,
  };
}

export type AuditEventView = ReturnType<typeof toAuditEventView>;
