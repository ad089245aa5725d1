import { Injectable } from '@nestjs/common';
import type { AuditEvent } from '@keyring/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { iso } from '../common/http/iso';
import { GENESIS_HASH } from './audit-chain';
import { keepCheckpoint } from './audit-checkpoint';
import { toAuditEvent } from './audit-event.mapper';
import { AuditKeys } from './audit-keys';
import { AuditRepository } from './audit.repository';

export interface KeptCheckpoint {
  seq: number;
  issuedAt: string;
  jws: string;
}

/**
 * An organization's chain as a feed for copies of the log that leave Keyring (audit streams): its events after a
 * seq, in order, and the checkpoints kept along it. What a follower needs to send a copy that verifies on its own.
 */
@Injectable()
export class AuditFeed {
  constructor(
    private readonly db: DataSource,
    private readonly keys: AuditKeys,
    private readonly events: AuditRepository,
  ) {}

  /** At most `limit` events after `afterSeq`, oldest first, as the export writes them (an index range scan). */
  async eventsAfter(organizationId: string, afterSeq: number, limit: number): Promise<AuditEvent[]> {
    return (await this.events.chain(organizationId.toLowerCase(), afterSeq, limit)).map(toAuditEvent);
  }

  /** The checkpoints kept at seqs in (`afterSeq`, `uptoSeq`], oldest first. */
  async checkpointsBetween(organizationId: string, afterSeq: number, uptoSeq: number): Promise<KeptCheckpoint[]> {
    const rows = await this.db.query<{ seq: number; issued_at: Date; jws: string }[]>(
      `SELECT seq::int AS seq, issued_at, jws FROM audit_checkpoints WHERE chain_id = $1 AND seq > $2 AND seq <= $3
        ORDER BY audit_checkpoints.seq`,
      [organizationId.toLowerCase(), afterSeq, uptoSeq],
    );
    return rows.map((row) => ({ seq: row.seq, issuedAt: iso(row.issued_at), jws: row.jws }));
  }

  /** The seq of the chain's newest event (0 for an empty chain). */
  async headSeq(organizationId: string): Promise<number> {
    return (await this.events.head(organizationId.toLowerCase()))?.seq ?? 0;
  }

  /**
   * Inside the transaction that just recorded an event (which holds the chain's writer lock until it commits): the
   * seq just before that event, with a signed checkpoint kept there, so that a copy of the chain from this event on
   * starts at a signed point and verifies without the events before it.
   */
  async checkpointBeforeNewest(manager: EntityManager, organizationId: string): Promise<number> {
    const chain = organizationId.toLowerCase();
    const [newest] = await manager.query<{ seq: number; prev_hash: string }[]>(
      'SELECT seq::int AS seq, prev_hash FROM audit_events WHERE organization_id = $1 ORDER BY audit_events.seq DESC LIMIT 1',
      [chain],
    );
    const start = newest ? { seq: newest.seq - 1, hash: newest.prev_hash } : { seq: 0, hash: GENESIS_HASH };
    await keepCheckpoint(manager, this.keys.signer, chain, start);
    return start.seq;
  }
}
