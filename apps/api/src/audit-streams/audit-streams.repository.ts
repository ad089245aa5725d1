import { Injectable } from '@nestjs/common';
import type { AuditStreamKind } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { Scope } from '../access/scope';
import { updateReturning } from '../database/update-returning';

export interface AuditStreamRow {
  id: string;
  kind: AuditStreamKind;
  url: string;
  createdAt: Date;
  startSeq: number;
  deliveredSeq: number;
  lastDeliveredAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

const COLUMNS = `id, kind, url, created_at AS "createdAt", start_seq::int AS "startSeq", delivered_seq::int AS "deliveredSeq",
  last_delivered_at AS "lastDeliveredAt", last_error AS "lastError", last_error_at AS "lastErrorAt"`;

/** An organization's audit streams, as its members manage them. */
@Injectable()
export class AuditStreamsRepository {
  constructor(private readonly db: DataSource) {}

  /** The stream starts after `startSeq`; the checkpoint kept at `startSeq` is the first thing it sends. */
  async insert(manager: EntityManager, scope: Scope, stream: { id: string; kind: AuditStreamKind; url: string; startSeq: number }): Promise<AuditStreamRow> {
    const [row] = await manager.query<AuditStreamRow[]>(
      `INSERT INTO audit_streams (id, organization_id, kind, url, start_seq, delivered_seq, checkpoint_seq)
       VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING ${COLUMNS}`,
      [stream.id, scope.organizationId, stream.kind, stream.url, stream.startSeq, stream.startSeq - 1],
    );
    return row;
  }

  async list(scope: Scope): Promise<AuditStreamRow[]> {
    return this.db.query<AuditStreamRow[]>(`SELECT ${COLUMNS} FROM audit_streams WHERE organization_id = $1 ORDER BY created_at, id`, [scope.organizationId]);
  }

  async find(scope: Scope, id: string): Promise<AuditStreamRow | null> {
    const [row] = await this.db.query<AuditStreamRow[]>(`SELECT ${COLUMNS} FROM audit_streams WHERE organization_id = $1 AND id = $2`, [scope.organizationId, id]);
    return row ?? null;
  }

  async delete(manager: EntityManager, scope: Scope, id: string): Promise<AuditStreamRow | null> {
    // Answered like an UPDATE: [rows, count].
    const [row] = await updateReturning<AuditStreamRow>(manager, `DELETE FROM audit_streams WHERE organization_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [scope.organizationId, id]);
    return row ?? null;
  }
}
