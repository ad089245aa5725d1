import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { AuditEvent, AuditFullVerification, AuditVerification, Page } from '@keyring/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Scope } from '../access/scope';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { verifiedPointMac } from './audit-chain';
import { CheckpointError, verifyCheckpoint, type CheckpointPayload } from './audit-checkpoint';
import { AuditError, AuditErrorCode } from './audit.errors';
import { AuditKeys } from './audit-keys';
import { toAuditEvent } from './audit-event.mapper';
import { AuditRepository, type AuditFilter } from './audit.repository';
import { CHAIN_START, ChainWalk, type ChainBreak, type ChainPoint, type LegacySeal } from './chain-walk';
import { ChainStateRepository, type FullVerificationState } from './chain-state.repository';

const DEFAULT_PAGE = 50;
const BATCH = 2000;
/** Beyond this many new events, a verification is left to the background rather than done on the request. */
const INLINE_LIMIT = 5_000;
/** MACs computed between two pauses of a full verification. */
const CHUNK = 250;
/**
 * A full verification rests this many times as long as it worked (a twentieth of the event loop): at 9 the tenant
 * API kept 83 % of its throughput in the 1M-event benchmark, the database's share of the work counting too.
 */
const REST_FACTOR = 19;

export interface WalkResult {
  at: ChainPoint;
  broken: ChainBreak | null;
}

@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly logger = new Logger('AuditService');
  /** Full verifications running in this process, by organization: awaited at shutdown. */
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly events: AuditRepository,
    private readonly state: ChainStateRepository,
    private readonly keys: AuditKeys,
  ) {}

  async list(scope: Scope, filter: AuditFilter, limit = DEFAULT_PAGE, cursor?: string): Promise<Page<AuditEvent>> {
    const afterSeq = cursor ? Number(decodeCursor(cursor, 1)[0]) : null;
    const rows = await this.events.page(scope, filter, limit + 1, afterSeq);
    return keysetPage(rows.map(toAuditEvent), limit, (event) => [event.seq]);
  }

  /** The secret versions `userId` revealed within the scope (their offboarding report). */
  revealsBy(scope: Scope, userId: string) {
    return this.events.revealsBy(scope, userId);
  }

  knowsPerson(organizationId: string, userId: string): Promise<boolean> {
    return this.events.knowsPerson(organizationId, userId);
  }

  formerMembers(organizationId: string, limit: number) {
    return this.events.formerMembers(organizationId, limit);
  }

  /** Every matching event, oldest first, a batch at a time: memory stays flat however long the log is. */
  async *stream(scope: Scope, filter: AuditFilter): AsyncGenerator<AuditEvent> {
    let afterSeq = 0;
    for (;;) {
      const batch = await this.events.page(scope, filter, BATCH, afterSeq, true);
      for (const event of batch) yield toAuditEvent(event);
      if (batch.length < BATCH) return;
      afterSeq = batch[batch.length - 1].seq;
    }
  }

  /**
   * Checks the events written since the last verified point (cost grows with new events only) and, against the
   * newest kept checkpoint and any `checkpoints` the caller holds, that no event they cover is missing or
   * different. A large backlog is left to a full verification in the background. 400 for a checkpoint that is not
   * validly signed or is another organization's. A member limited to some tenants gets the verdict on the whole
   * chain, but counts only the events they can see.
   */
  async verify(scope: Scope, checkpoints: string[] = []): Promise<AuditVerification> {
    const verdict = await this.verifyChain(scope.organizationId, checkpoints);
    if (scope.tenants === 'all') return verdict;
    // The verdict on the whole chain, but not how long it is: that would count other tenants' events.
    const { pendingEvents: _wholeChain, ...visible } = verdict;
    return {
      ...visible,
      checkedEvents: await this.events.countVisible(scope),
      fullVerification: verdict.fullVerification && { ...verdict.fullVerification, checkedEvents: null },
    };
  }

  private async verifyChain(routeOrgId: string, checkpoints: string[]): Promise<AuditVerification> {
    // As PostgreSQL writes it, and checkpoints name it.
    const organizationId = routeOrgId.toLowerCase();
    const given = await Promise.all(checkpoints.map((jws, index) => this.givenCheckpoint(organizationId, jws, index)));
    const { verified, full } = await this.state.state(organizationId);
    const seal = await this.legacySeal(organizationId);
    if ('reason' in seal) return this.answer(organizationId, { at: CHAIN_START, broken: seal }, full);
    const vouched = verified.mac === this.pointMac(organizationId, verified) ? verified : CHAIN_START;
    const from = seal.seal && vouched.seq < seal.seal.seq ? CHAIN_START : vouched;
    if (from.seq > 0) {
      const hash = (await this.events.hashesAt(organizationId, [from.seq])).get(from.seq);
      if (hash !== from.hash) {
        const broken = { seq: from.seq, reason: `Event ${from.seq}, verified before, is ${hash ? 'different now' : 'missing'}.` };
        return this.answer(organizationId, { at: { seq: from.seq - 1, hash: '' }, broken }, full);
      }
    }
    const head = await this.events.head(organizationId);
    const backlog = (head?.seq ?? 0) - from.seq;
    if (backlog > INLINE_LIMIT) {
      const fullVerification = await this.startFullVerification(organizationId);
      const broken = await this.checkCoverage(organizationId, given);
      if (broken) return this.answer(organizationId, { at: from, broken }, full);
      return { valid: true, checkedEvents: from.seq, pendingEvents: backlog, fullVerification };
    }
    const result = await this.walk(organizationId, from, seal.seal, false);
    if (!result.broken) result.broken = await this.checkCoverage(organizationId, given);
    if (!result.broken) await this.state.saveVerified(organizationId, result.at, this.pointMac(organizationId, result.at));
    return this.answer(organizationId, result, full);
  }

  /** Starts a full verification of the chain in the background, unless one runs already; its state. */
  async startFullVerification(organizationId: string): Promise<AuditFullVerification> {
    if (await this.state.startFull(organizationId)) {
      const job = this.verifyFully(organizationId)
        .catch((error: unknown) => this.logger.error(`Full verification of ${organizationId} failed: ${(error as Error).message}`))
        .finally(() => this.running.delete(organizationId));
      this.running.set(organizationId, job);
    }
    return fullView((await this.state.state(organizationId)).full!);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running.values());
  }

  /** Re-checks every event from the first, paced to leave the event loop to requests; stores the outcome. */
  private async verifyFully(organizationId: string): Promise<void> {
    const result = await this.fullCheck(organizationId, true);
    if (this.stopping) {
      return this.state.finishFull(organizationId, result.at.seq, { interrupted: 'The server stopped before the end: start it again.' });
    }
    if (!result.broken) await this.state.saveVerified(organizationId, result.at, this.pointMac(organizationId, result.at));
    await this.state.finishFull(organizationId, result.at.seq, { broken: result.broken });
  }

  /** Every event from the first, and every kept checkpoint's coverage (the CLI's audit-verify runs it unpaced). */
  async fullCheck(organizationId: string, paced = false): Promise<WalkResult> {
    const seal = await this.legacySeal(organizationId);
    if ('reason' in seal) return { at: CHAIN_START, broken: seal };
    const result = await this.walk(organizationId, CHAIN_START, seal.seal, paced);
    if (!result.broken) result.broken = await this.checkCoverage(organizationId, []);
    return result;
  }

  private async walk(organizationId: string, from: ChainPoint, seal: LegacySeal | null, paced: boolean): Promise<WalkResult> {
    const walk = new ChainWalk(from, { seal, macKey: (kid) => this.keys.macKey(kid) });
    let since = performance.now();
    for (;;) {
      const batch = await this.events.chain(organizationId, walk.at.seq, BATCH);
      for (let offset = 0; offset < batch.length; offset += CHUNK) {
        for (const event of batch.slice(offset, offset + CHUNK)) {
          const broken = walk.step(event);
          if (broken) return { at: walk.at, broken };
        }
        if (paced) {
          if (this.stopping) return { at: walk.at, broken: null };
          await sleep((performance.now() - since) * REST_FACTOR);
          since = performance.now();
        }
      }
      if (batch.length < BATCH) return { at: walk.at, broken: null };
    }
  }

  /**
   * The seal of the chain's legacy prefix, its signature checked; a break when a seal is there but was not
   * signed by a trusted key (written straight into the database, or of another chain).
   */
  private async legacySeal(organizationId: string): Promise<{ seal: LegacySeal | null } | ChainBreak> {
    const jws = await this.state.seal(organizationId);
    if (!jws) return { seal: null };
    try {
      const payload = await verifyCheckpoint(jws, this.keys.keyResolver());
      if (payload.organizationId === organizationId && payload.legacyDigest) {
        return { seal: { seq: payload.seq, hash: payload.hash, legacyDigest: payload.legacyDigest } };
      }
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
    }
    return { seq: 1, reason: 'The checkpoint sealing the unkeyed events is not validly signed for this organization.' };
  }

  /** A checkpoint of the caller's, its signature and organization checked. */
  private async givenCheckpoint(organizationId: string, jws: string, index: number): Promise<CheckpointPayload> {
    let payload: CheckpointPayload;
    try {
      payload = await verifyCheckpoint(jws, this.keys.keyResolver());
    } catch (error) {
      if (error instanceof CheckpointError) throw new AuditError(AuditErrorCode.CheckpointInvalid, `Checkpoint ${index + 1} ${error.message}.`);
      throw error;
    }
    if (payload.organizationId !== organizationId) {
      throw new AuditError(AuditErrorCode.CheckpointOfAnotherOrganization, `Checkpoint ${index + 1} is of another organization's audit log.`);
    }
    return payload;
  }

  /**
   * Every event a checkpoint covers (the caller's, and the newest kept one) is still there with the hash it had:
   * deleting the newest events, or rewriting one, shows here without re-hashing the chain.
   */
  private async checkCoverage(organizationId: string, given: CheckpointPayload[]): Promise<ChainBreak | null> {
    const checkpoints = [...given];
    const latest = await this.state.latestCheckpoint(organizationId);
    if (latest) {
      try {
        checkpoints.push(await verifyCheckpoint(latest.jws, this.keys.keyResolver()));
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        return { seq: latest.seq, reason: `The checkpoint kept at event ${latest.seq} is not validly signed.` };
      }
    }
    const hashes = await this.events.hashesAt(organizationId, checkpoints.map((checkpoint) => checkpoint.seq));
    for (const checkpoint of checkpoints.sort((a, b) => a.seq - b.seq)) {
      if (checkpoint.seq === 0) continue;
      // As the chain is now: a checkpoint kept a moment ago may cover an event written after the walk.
      const hash = hashes.get(checkpoint.seq);
      if (hash === checkpoint.hash) continue;
      const what = hash === undefined ? 'missing' : 'different';
      return { seq: checkpoint.seq, reason: `Event ${checkpoint.seq}, covered by the checkpoint of ${checkpoint.issuedAt}, is ${what}.` };
    }
    return null;
  }

  private pointMac(organizationId: string, point: ChainPoint): string {
    return verifiedPointMac(organizationId, { seq: point.seq, hash: point.hash }, this.keys.activeMacKey.key);
  }

  private answer(organizationId: string, result: WalkResult, full: FullVerificationState | null): AuditVerification {
    const fullVerification = full ? fullView(full) : null;
    if (!result.broken) return { valid: true, checkedEvents: result.at.seq, fullVerification };
    this.logger.warn(`Audit chain of ${organizationId} broken at event ${result.broken.seq}: ${result.broken.reason}`);
    return { valid: false, checkedEvents: result.at.seq, firstBrokenSeq: result.broken.seq, reason: result.broken.reason, fullVerification };
  }
}

function fullView(full: FullVerificationState): AuditFullVerification {
  return {
    startedAt: full.startedAt.toISOString(),
    finishedAt: full.finishedAt?.toISOString() ?? null,
    valid: full.valid,
    checkedEvents: full.checkedEvents,
    firstBrokenSeq: full.firstBrokenSeq,
    reason: full.reason,
  };
}
