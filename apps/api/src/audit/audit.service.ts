import type { AuditEvent, Page } from '@keyring/contracts';
import { Injectable } from '@nestjs/common';
import type { Scope } from '../access/scope';
import { decodeCursor, keysetPage } from '../common/http/cursor';
import { auditEventHash, GENESIS_HASH } from './audit-chain';
import { toAuditEvent } from './audit-event.mapper';
import { AuditRepository, type AuditFilter } from './audit.repository';

const DEFAULT_PAGE = 50;
const BATCH = 2000;

export interface ChainVerification {
  valid: boolean;
  checkedEvents: number;
  /** The first event whose hash, link or sequence number does not hold. */
  firstBrokenSeq?: number;
}

@Injectable()
export class AuditService {
  constructor(private readonly events: AuditRepository) {}

  async list(scope: Scope, filter: AuditFilter, limit = DEFAULT_PAGE, cursor?: string): Promise<Page<AuditEvent>> {
    const afterSeq = cursor ? Number(decodeCursor(cursor, 1)[0]) : null;
    const rows = await this.events.page(scope, filter, limit + 1, afterSeq);
    return keysetPage(rows.map(toAuditEvent), limit, (event) => [event.seq]);
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
   * Recomputes every hash of the organization's chain and checks each link and sequence number. A member limited to
   * some tenants gets the verdict on the whole chain, but counts only the events they can see.
   */
  async verify(scope: Scope): Promise<ChainVerification> {
    const verdict = await this.verifyChain(scope);
    return scope.tenants === 'all' ? verdict : { ...verdict, checkedEvents: await this.events.countVisible(scope) };
  }

  private async verifyChain(scope: Scope): Promise<ChainVerification> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const batch = await this.events.chain(scope, expectedSeq - 1, BATCH);
      for (const { hash, ...event } of batch) {
        if (event.seq !== expectedSeq || event.prevHash !== prevHash || auditEventHash(event) !== hash) {
          return { valid: false, checkedEvents: expectedSeq - 1, firstBrokenSeq: Math.min(event.seq, expectedSeq) };
        }
        prevHash = hash;
        expectedSeq += 1;
      }
      if (batch.length < BATCH) return { valid: true, checkedEvents: expectedSeq - 1 };
    }
  }
}
