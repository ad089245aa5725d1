import { Injectable } from '@nestjs/common';
import type { AuditStreamKind } from '@keyring/contracts';
import { DataSource } from 'typeorm';
import { updateReturning } from '../database/update-returning';

/** How long a stream stays with the instance that claimed it without a renewal; renewed when less than 2/3 is left. */
const LEASE = '30 seconds';
const RENEW_WHEN_LEFT = '20 seconds';

/** How far a stream has gone: the last event, and the last checkpoint, the receiver accepted. */
export interface StreamPosition {
  eventSeq: number;
  checkpointSeq: number;
}

export interface LeasedStream {
  id: string;
  organizationId: string;
  kind: AuditStreamKind;
  url: string;
  position: StreamPosition;
}

/**
 * The worker's side of audit_streams, across organizations (no request, no scope): which instance streams which
 * stream (a lease, one instance at a time, lapsing if that instance dies), and the cursors it advances.
 */
@Injectable()
export class StreamLeasesRepository {
  constructor(private readonly db: DataSource) {}

  /** Claims the streams nobody holds, renews this instance's, and returns all it holds now. */
  async claim(holder: string): Promise<LeasedStream[]> {
    await this.db.query(
      `UPDATE audit_streams SET lease_holder = $1, lease_expires_at = now() + interval '${LEASE}'
        WHERE (lease_holder IS DISTINCT FROM $1 AND (lease_expires_at IS NULL OR lease_expires_at < now()))
           OR (lease_holder = $1 AND lease_expires_at < now() + interval '${RENEW_WHEN_LEFT}')`,
      [holder],
    );
    const rows = await this.db.query<{ id: string; organization_id: string; kind: AuditStreamKind; url: string; delivered_seq: number; checkpoint_seq: number }[]>(
      `SELECT id, organization_id, kind, url, delivered_seq::int AS delivered_seq, checkpoint_seq::int AS checkpoint_seq
         FROM audit_streams WHERE lease_holder = $1 AND lease_expires_at > now()`,
      [holder],
    );
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      kind: row.kind,
      url: row.url,
      position: { eventSeq: row.delivered_seq, checkpointSeq: row.checkpoint_seq },
    }));
  }

  /** Records a delivery; false when the stream is gone or no longer this instance's (it then stops sending). */
  async delivered(id: string, holder: string, position: StreamPosition): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      this.db.manager,
      `UPDATE audit_streams SET delivered_seq = GREATEST(delivered_seq, $3), checkpoint_seq = GREATEST(checkpoint_seq, $4),
              last_delivered_at = now(), last_error = NULL, last_error_at = NULL
        WHERE id = $1 AND lease_holder = $2 RETURNING id`,
      [id, holder, position.eventSeq, position.checkpointSeq],
    );
    return rows.length === 1;
  }

  async failed(id: string, holder: string, error: string): Promise<void> {
    await this.db.query('UPDATE audit_streams SET last_error = $3, last_error_at = now() WHERE id = $1 AND lease_holder = $2', [id, holder, error]);
  }

  /** Hands this instance's streams back at shutdown, so that another (or the next start) takes them at once. */
  async release(holder: string): Promise<void> {
    await this.db.query('UPDATE audit_streams SET lease_holder = NULL, lease_expires_at = NULL WHERE lease_holder = $1', [holder]);
  }
}
