import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { tenantIdsParam, type Scope } from '../access/scope';
import type { ChainedEvent } from './audit-chain';

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  tenantId?: string;
  from?: string;
  to?: string;
}

export interface StoredAuditEvent extends ChainedEvent {
  hash: string;
}

// seq is cast for JSON; ORDER BY names the table's column, or it would sort by the cast and skip the index.
const COLUMNS = `organization_id AS "organizationId", seq::int AS seq, occurred_at AS "occurredAt",
  actor_type AS "actorType", actor_id AS "actorId", actor_label AS "actorLabel", action,
  target_type AS "targetType", target_id AS "targetId", tenant_id AS "tenantId", ip, user_agent AS "userAgent",
  request_id AS "requestId", outcome, details, prev_hash AS "prevHash", hash`;

/**
 * What a scope sees of its organization's log ($1 the organization, $2 its tenants or null for all, $3 the member):
 * a member limited to some tenants sees the events of those tenants, and of the organization-level events (no
 * tenant) those they did themselves or that are about their own account (sign-ins, two-factor, their membership).
 */
const VISIBLE = `organization_id = $1 AND ($2::uuid[] IS NULL OR tenant_id = ANY($2)
  OR (tenant_id IS NULL AND (actor_id = $3 OR (target_type = 'user' AND target_id = $3))))`;

@Injectable()
export class AuditRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * One page of an organization's events matching `filter`, in seq order (newest first unless `ascending`),
   * after the seq `afterSeq` in that order.
   */
  async page(scope: Scope, filter: AuditFilter, limit: number, afterSeq: number | null, ascending = false): Promise<StoredAuditEvent[]> {
    const params: unknown[] = [scope.organizationId, tenantIdsParam(scope), scope.userId];
    const where = [VISIBLE];
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
    return this.db.query<StoredAuditEvent[]>(
      `SELECT ${COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}
        ORDER BY audit_events.seq ${ascending ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * A batch of the scope's organization's whole chain, in seq order: the one read that goes past the scope's tenants,
   * since a chain can only be checked link by link; AuditService.verify tells a tenant-limited member only the verdict.
   */
  async chain(scope: Scope, afterSeq: number, limit: number): Promise<StoredAuditEvent[]> {
    return this.db.query<StoredAuditEvent[]>(
      `SELECT ${COLUMNS} FROM audit_events WHERE organization_id = $1 AND seq > $2 ORDER BY audit_events.seq LIMIT $3`,
      [scope.organizationId, afterSeq, limit],
    );
  }

  /** How many events the scope sees. */
  async countVisible(scope: Scope): Promise<number> {
    const [row] = await this.db.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM audit_events WHERE ${VISIBLE}`, [
      scope.organizationId,
      tenantIdsParam(scope),
      scope.userId,
    ]);
    return row.count;
  }
}
