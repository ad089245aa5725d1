import { auditEventMac, GENESIS_HASH, legacyDigest, type StoredAuditEvent } from './audit-chain';

export interface ChainPoint {
  seq: number;
  hash: string;
}

/** Where a chain stops holding, and why, in words for the reader of a verification. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/** The checkpoint that sealed a chain's unkeyed prefix (events 1 to `seq`), its signature already checked. */
export interface LegacySeal extends ChainPoint {
  legacyDigest: string;
}

export interface WalkRules {
  /** The audit key of an id; absent offline, where nobody holds the keys and MACs cannot be checked. */
  macKey?: (keyId: string) => Uint8Array | undefined;
  seal: LegacySeal | null;
}

export const CHAIN_START: ChainPoint = { seq: 0, hash: GENESIS_HASH };

/**
 * Checks a chain one event at a time, oldest first, from a point already known to hold: each event follows the
 * one before (seq and link), carries a MAC under a known audit key and, within a sealed legacy prefix, the
 * prefix reproduces the digest its seal signed. A walk of a sealed chain starts at its beginning or past the seal.
 */
export class ChainWalk {
  private digest = GENESIS_HASH;

  constructor(
    private point: ChainPoint,
    private readonly rules: WalkRules,
  ) {}

  /** The last event that held. */
  get at(): ChainPoint {
    return this.point;
  }

  /** Takes the next event: null when it holds, the break otherwise (the walk then stays where it was). */
  step(event: StoredAuditEvent): ChainBreak | null {
    const expected = this.point.seq + 1;
    if (event.seq !== expected) return { seq: expected, reason: `Event ${expected} is missing.` };
    if (event.prevHash !== this.point.hash) return { seq: expected, reason: `Event ${expected} does not link to the event before it.` };
    const broken = this.rules.seal && expected <= this.rules.seal.seq ? this.legacy(event, this.rules.seal) : this.keyed(event);
    if (!broken) this.point = { seq: event.seq, hash: event.hash };
    return broken;
  }

  private keyed(event: StoredAuditEvent): ChainBreak | null {
    const { hash, ...chained } = event;
    if (chained.keyId === null) {
      return { seq: event.seq, reason: `Event ${event.seq} has no MAC, and no sealed legacy prefix covers it.` };
    }
    if (!this.rules.macKey) return null;
    const key = this.rules.macKey(chained.keyId);
    if (!key) return { seq: event.seq, reason: `Event ${event.seq} is under audit key "${chained.keyId}", which is not known here.` };
    return auditEventMac(chained, key) === hash ? null : { seq: event.seq, reason: `Event ${event.seq} does not match its MAC.` };
  }

  private legacy(event: StoredAuditEvent, seal: LegacySeal): ChainBreak | null {
    this.digest = legacyDigest(this.digest, event);
    if (event.seq < seal.seq) return null;
    return this.digest === seal.legacyDigest && event.hash === seal.hash
      ? null
      : { seq: 1, reason: `The unkeyed events 1 to ${seal.seq} differ from the checkpoint that sealed them.` };
  }
}
