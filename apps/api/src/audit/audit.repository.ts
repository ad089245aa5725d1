import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { tenantIdsParam, type Scope } from '../access/scope';
import type { StoredAuditEvent } from './audit-chain';

export type { StoredAuditEvent } from './audit-chain';

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  tenantId?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

// seq is cast for JSON; ORDER BY names the table's column, or it would sort by the cast and skip the index.
export const EVENT_COLUMNS = `organization_id AS "organizationId", seq::int AS seq, occurred_at AS "occurredAt",
  actor_type AS "actorType", actor_id AS "actorId", actor_label AS "actorLabel", action,
  target_type AS "targetType", target_id AS "targetId", tenant_id AS "tenantId", ip, user_agent AS "userAgent",
  request_id AS "requestId", outcome, details, prev_hash AS "prevHash", key_id AS "keyId", hash`;

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
    const { sql, params } = auditPageQuery(scope, filter, limit, afterSeq, ascending);
    return this.db.query<StoredAuditEvent[]>(sql, params);
  }

  /**
   * A batch of an organization's whole chain, in seq order, for verification only (never answered): a chain can only
   * be checked link by link, so this read goes past a tenant-limited member's scope; AuditService.verify tells such a
   * member only the verdict and the count of the events they see.
   */
  async chain(organizationId: string, afterSeq: number, limit: number): Promise<StoredAuditEvent[]> {
    return this.db.query<StoredAuditEvent[]>(
      `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE organization_id = $1 AND seq > $2 ORDER BY audit_events.seq LIMIT $3`,
      [organizationId, afterSeq, limit],
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

  /**
   * The secret versions `userId` revealed, within the scope's tenants: per widget and version, how many times and
   * the last time. Read through the (organization, actor, action) index: only their reveals, however much else they did.
   */
  async revealsBy(scope: Scope, userId: string): Promise<{ widgetId: string; version: number; at: Date; times: number }[]> {
    const { sql, params } = revealsByQuery(scope, userId);
    return this.db.query<{ widgetId: string; version: number; at: Date; times: number }[]>(sql, params);
  }

  /** Whether the log knows `userId` in this organization: they acted in it, or something was done to their account. */
  async knowsPerson(organizationId: string, userId: string): Promise<boolean> {
    const [row] = await this.db.query<{ known: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM audit_events WHERE organization_id = $1 AND actor_id = $2)
           OR EXISTS (SELECT 1 FROM audit_events WHERE organization_id = $1 AND target_type = 'user' AND target_id = $2) AS known`,
      [organizationId, userId],
    );
    return row.known;
  }

  /**
   * People removed from the organization and not back since, the last removal first: the member.removed events (by
   * the action index) of users without a membership now. The membership table is read for that one test.
   */
  async formerMembers(organizationId: string, limit: number): Promise<{ userId: string; email: string; removedAt: Date }[]> {
    return this.db.query<{ userId: string; email: string; removedAt: Date }[]>(
      `SELECT "userId", email, "removedAt" FROM (
         SELECT DISTINCT ON (target_id) target_id AS "userId", details->>'email' AS email, occurred_at AS "removedAt"
           FROM audit_events
          WHERE organization_id = $1 AND action = 'member.removed' AND target_type = 'user'
            AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = $1 AND m.user_id::text = target_id)
          ORDER BY target_id, audit_events.seq DESC) removed
        ORDER BY "removedAt" DESC LIMIT $2`,
      [organizationId, limit],
    );
  }

  /** Seq and hash of chosen events of an organization's chain (those that exist). */
  async hashesAt(organizationId: string, seqs: number[]): Promise<Map<number, string>> {
    const rows = await this.db.query<{ seq: number; hash: string }[]>(
      'SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 AND seq = ANY($2::bigint[])',
      [organizationId, seqs],
    );
    return new Map(rows.map((row) => [row.seq, row.hash]));
  }

  /** The newest event's seq and hash; null for an empty chain. */
  async head(organizationId: string): Promise<{ seq: number; hash: string } | null> {
    const [row] = await this.db.query<{ seq: number; hash: string }[]>(
      'SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1',
      [organizationId],
    );
    return row ?? null;
  }
}

/** The SQL of `AuditRepository.revealsBy` (also what the offboarding plan test EXPLAINs). */
export function revealsByQuery(scope: Scope, userId: string) {
  return {
    sql: `SELECT target_id AS "widgetId", (details->>'version')::int AS version, max(occurred_at) AS at, count(*)::int AS times
            FROM audit_events
           WHERE organization_id = $1 AND actor_id = $3 AND action = 'secret.revealed' AND outcome = 'success'
             AND target_type = 'widget' AND ($2::uuid[] IS NULL OR tenant_id = ANY($2))
           GROUP BY 1, 2`,
    params: [scope.organizationId, tenantIdsParam(scope), userId],
  };
}

/**
 * How far apart the clocks of two instances may be. Events get their seq in write order and their time from the
 * writer's clock, so time and seq agree only up to this much; a time window's seq bounds are taken this much outside
 * the window, which keeps them exact for any skew below it.
 */
export const CLOCK_SKEW_MARGIN = '1 minute';

/**
 * The SQL of `AuditRepository.page` (also what the plan proof EXPLAINs). A time window becomes a seq range found by
 * two probes of the time index — the seq of the last event before the window and of the first after it (each
 * widened by the clock margin) — so the scan stays on a seq index whatever the window and the log's length; the
 * time condition itself stays too. (min/max(seq) over the window would walk the seq index filtering by time on
 * PostgreSQL 15: a cost that grows with the log.)
 */
export function auditPageQuery(scope: Scope, filter: AuditFilter, limit: number, afterSeq: number | null, ascending: boolean) {
  const params: unknown[] = [scope.organizationId, tenantIdsParam(scope), scope.userId];
  const where = [VISIBLE];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.action) add('action = ?', filter.action);
  if (filter.actorId) add('actor_id = ?', filter.actorId);
  if (filter.targetType) add('target_type = ?', filter.targetType);
  if (filter.targetId) add('target_id = ?', filter.targetId);
  if (filter.tenantId) add('tenant_id = ?', filter.tenantId);
  if (filter.outcome) add('outcome = ?', filter.outcome);
  if (filter.from) {
    add(`occurred_at >= ? AND seq > COALESCE((SELECT seq FROM audit_events WHERE organization_id = $1
      AND occurred_at < ?::timestamptz - interval '${CLOCK_SKEW_MARGIN}' ORDER BY occurred_at DESC LIMIT 1), 0)`, filter.from);
  }
  if (filter.to) {
    add(`occurred_at < ? AND seq < COALESCE((SELECT seq FROM audit_events WHERE organization_id = $1
      AND occurred_at >= ?::timestamptz + interval '${CLOCK_SKEW_MARGIN}' ORDER BY occurred_at LIMIT 1), ${Number.MAX_SAFE_INTEGER})`, filter.to);
  }
  if (afterSeq !== null) add(ascending ? 'seq > ?' : 'seq < ?', afterSeq);
  params.push(limit);
  return {
    sql: `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}
      ORDER BY audit_events.seq ${ascending ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
    params,
  };
}
