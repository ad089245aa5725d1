import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChainBreak, ChainPoint } from './chain-walk';

/** The last full verification of a chain: running while `finishedAt` is null. */
export interface FullVerificationState {
  startedAt: Date;
  finishedAt: Date | null;
  valid: boolean | null;
  checkedEvents: number | null;
  firstBrokenSeq: number | null;
  reason: string | null;
}

export interface ChainState {
  /** With the MAC Keyring wrote beside it (null when never verified). */
  verified: ChainPoint & { mac: string | null };
  full: FullVerificationState | null;
}

export interface StoredCheckpoint {
  seq: number;
  jws: string;
}

/** A full verification that has not finished in this long is taken to have died with its process. */
const FULL_VERIFICATION_LEASE = '1 hour';

interface StateRow {
  seq: number;
  hash: string;
  mac: string | null;
  full_started_at: Date | null;
  full_finished_at: Date | null;
  full_valid: boolean | null;
  full_checked_events: number | null;
  full_first_broken_seq: number | null;
  full_reason: string | null;
}

/** How far each chain has been verified, its full verifications, and its kept checkpoints. */
@Injectable()
export class ChainStateRepository {
  constructor(private readonly db: DataSource) {}

  async state(chainId: string): Promise<ChainState> {
    const [row] = await this.db.query<StateRow[]>(
      `SELECT verified_seq::int AS seq, verified_hash AS hash, verified_mac AS mac, full_started_at, full_finished_at, full_valid,
              full_checked_events::int AS full_checked_events, full_first_broken_seq::int AS full_first_broken_seq, full_reason
         FROM audit_chain_state WHERE chain_id = $1`,
      [chainId],
    );
    if (!row) return { verified: { seq: 0, hash: '0'.repeat(64), mac: null }, full: null };
    return {
      verified: { seq: row.seq, hash: row.hash, mac: row.mac },
      full: row.full_started_at
        ? {
            startedAt: row.full_started_at,
            finishedAt: row.full_finished_at,
            valid: row.full_valid,
            checkedEvents: row.full_checked_events,
            firstBrokenSeq: row.full_first_broken_seq,
            reason: row.full_reason,
          }
        : null,
    };
  }

  /** Stores the verified point with Keyring's MAC over it (no write when it did not move). */
  async saveVerified(chainId: string, point: ChainPoint, mac: string): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_chain_state (chain_id, verified_seq, verified_hash, verified_mac) VALUES ($1, $2, $3, $4)
       ON CONFLICT (chain_id) DO UPDATE SET verified_seq = excluded.verified_seq, verified_hash = excluded.verified_hash,
         verified_mac = excluded.verified_mac
        WHERE audit_chain_state.verified_mac IS DISTINCT FROM excluded.verified_mac`,
      [chainId, point.seq, point.hash, mac],
    );
  }

  /** Marks a full verification as running; false when one already runs (one at a time per chain, across instances). */
  async startFull(chainId: string): Promise<boolean> {
    const rows = await this.db.query<{ chain_id: string }[]>(
      `INSERT INTO audit_chain_state (chain_id, full_started_at) VALUES ($1, now())
       ON CONFLICT (chain_id) DO UPDATE SET full_started_at = now(), full_finished_at = NULL, full_valid = NULL,
         full_checked_events = NULL, full_first_broken_seq = NULL, full_reason = NULL
        WHERE audit_chain_state.full_started_at IS NULL OR audit_chain_state.full_finished_at IS NOT NULL
           OR audit_chain_state.full_started_at < now() - interval '${FULL_VERIFICATION_LEASE}'
       RETURNING chain_id`,
      [chainId],
    );
    return rows.length === 1;
  }

  /** Stores the outcome: valid, broken (where and why), or neither when it stopped before the end. */
  async finishFull(chainId: string, checkedEvents: number, outcome: { broken: ChainBreak | null } | { interrupted: string }): Promise<void> {
    const [valid, seq, reason] = 'interrupted' in outcome ? [null, null, outcome.interrupted] : [outcome.broken === null, outcome.broken?.seq ?? null, outcome.broken?.reason ?? null];
    await this.db.query(
      `UPDATE audit_chain_state SET full_finished_at = now(), full_valid = $2, full_checked_events = $3,
         full_first_broken_seq = $4, full_reason = $5 WHERE chain_id = $1`,
      [chainId, valid, checkedEvents, seq, reason],
    );
  }

  /** The JWS of the checkpoint that sealed the chain's legacy prefix, if it has one. */
  async seal(chainId: string): Promise<string | null> {
    const [row] = await this.db.query<{ jws: string }[]>('SELECT jws FROM audit_checkpoints WHERE chain_id = $1 AND legacy_digest IS NOT NULL', [chainId]);
    return row?.jws ?? null;
  }

  async latestCheckpoint(chainId: string): Promise<StoredCheckpoint | null> {
    const [row] = await this.db.query<StoredCheckpoint[]>('SELECT seq::int AS seq, jws FROM audit_checkpoints WHERE chain_id = $1 ORDER BY audit_checkpoints.seq DESC LIMIT 1', [chainId]);
    return row ?? null;
  }
}
