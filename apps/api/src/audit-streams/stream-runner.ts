import type { Logger } from '@nestjs/common';
import type { AuditFeed } from '../audit/audit-feed';
import type { OutboundPolicy } from '../common/outbound/outbound-address';
import { senderFor, type StreamSender } from './stream-senders';
import type { LeasedStream, StreamLeasesRepository, StreamPosition } from './stream-leases.repository';
import type { StreamTarget } from './stream-target';
import type { FeedItem } from './syslog-message';

/** Events per batch (one POST, or one write of that many syslog messages). */
const BATCH = 500;
/**
 * TCP has no acknowledgement a sender can see: a write completes once the bytes are in the kernel. A stream counts
 * what it wrote delivered once the connection has stayed up this much longer; a connection lost before that sends it
 * again after the reconnect (a repeat, never a gap).
 */
export const SETTLE_MS = 2_000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10_000;

export interface RunnerDeps {
  feed: AuditFeed;
  leases: StreamLeasesRepository;
  /** This instance's lease holder id. */
  holder: string;
  logger: Logger;
  /** Which receivers' addresses may be connected to (checked again at every connection). */
  policy: OutboundPolicy;
}

/**
 * Streams one audit stream while this instance holds its lease: reads the chain after the stream's cursor, sends it
 * in order, and advances the cursor in the database only for what the receiver accepted. On a failure it starts
 * again from that cursor, after a backoff (0.5 s doubling up to 10 s).
 */
export class StreamRunner {
  private sender: StreamSender | null = null;
  /** What went out on the current connection. */
  private sent: StreamPosition;
  /** What the database holds as delivered. */
  private saved: StreamPosition;
  /** Written over TCP, not yet counted delivered: each position with the time its write completed. */
  private written: { position: StreamPosition; at: number }[] = [];
  private failures = 0;
  private retryAt = 0;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    readonly stream: LeasedStream,
    /** The receiver, or why this instance cannot send to it (a URL allowed when created, refused by this configuration). */
    private readonly target: StreamTarget | string,
    private readonly deps: RunnerDeps,
  ) {
    this.sent = this.saved = stream.position;
  }

  /** Starts a round unless one is running, the stream waits out a backoff, or it stopped. */
  poke(): void {
    if (this.round || this.stopped || Date.now() < this.retryAt) return;
    this.round = this.deliver()
      .catch((error: unknown) => this.fail(error))
      .finally(() => (this.round = null));
  }

  /** Stops sending (the stream is gone, no longer ours, or the app stops) and waits for the round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sender?.close();
    await this.round;
  }

  private async deliver(): Promise<void> {
    if (typeof this.target === 'string') throw new Error(this.target);
    if (this.sender?.lost) {
      // Lost with writes still in doubt: a failure, and they go again. Closed while idle (a receiver's idle timeout):
      // nothing is in doubt, and the next batch reconnects.
      if (this.written.length > 0) throw this.sender.lost;
      this.sender = null;
    }
    await this.settle();
    for (;;) {
      if (this.stopped) return;
      const batch = await this.nextBatch(this.sent);
      if (!batch) return;
      this.sender ??= senderFor(this.target, this.stream.organizationId, this.deps.policy);
      await this.sender.send(batch.items);
      this.sent = batch.position;
      if (this.sender.acknowledges) await this.save(batch.position);
      else this.written.push({ position: batch.position, at: Date.now() });
      if (this.failures > 0) this.deps.logger.log(`Audit stream ${this.stream.id} is sending again after ${this.failures} failed attempt(s).`);
      this.failures = 0;
      if (!batch.full) return;
    }
  }

  /** Counts delivered what was written over TCP at least SETTLE_MS ago on a connection still up. */
  private async settle(): Promise<void> {
    const settled = this.written.filter((write) => write.at <= Date.now() - SETTLE_MS);
    if (settled.length === 0) return;
    this.written = this.written.slice(settled.length);
    await this.save(settled[settled.length - 1].position);
  }

  private async save(position: StreamPosition): Promise<void> {
    if (!(await this.deps.leases.delivered(this.stream.id, this.deps.holder, position))) {
      // Deleted, or taken over after our lease lapsed: the next claim drops this runner.
      this.stopped = true;
      return;
    }
    this.saved = position;
  }

  /** Events after `from`, and the checkpoints up to the last of them, in chain order (a checkpoint after its event). */
  private async nextBatch(from: StreamPosition): Promise<{ items: FeedItem[]; position: StreamPosition; full: boolean } | null> {
    const organizationId = this.stream.organizationId;
    const events = await this.deps.feed.eventsAfter(organizationId, from.eventSeq, BATCH);
    const upto = events.at(-1)?.seq ?? from.eventSeq;
    const checkpoints = await this.deps.feed.checkpointsBetween(organizationId, from.checkpointSeq, upto);
    if (events.length === 0 && checkpoints.length === 0) return null;
    const items: FeedItem[] = [];
    let next = 0;
    for (const event of events) {
      while (next < checkpoints.length && checkpoints[next].seq < event.seq) items.push({ type: 'checkpoint', organizationId, ...checkpoints[next++] });
      items.push({ type: 'event', organizationId, event });
    }
    while (next < checkpoints.length) items.push({ type: 'checkpoint', organizationId, ...checkpoints[next++] });
    return {
      items,
      position: { eventSeq: upto, checkpointSeq: checkpoints.at(-1)?.seq ?? from.checkpointSeq },
      full: events.length === BATCH,
    };
  }

  /** Drops the connection, goes back to the last delivered position, and waits before the next attempt. */
  private async fail(error: unknown): Promise<void> {
    this.sender?.close();
    this.sender = null;
    this.written = [];
    this.sent = this.saved;
    if (this.stopped) return;
    const message = error instanceof Error ? error.message : String(error);
    this.failures += 1;
    this.retryAt = Date.now() + Math.min(BACKOFF_FIRST_MS * 2 ** (this.failures - 1), BACKOFF_MAX_MS);
    if (this.failures === 1) this.deps.logger.warn(`Audit stream ${this.stream.id} failed to send (retrying with backoff): ${message}`);
    await this.deps.leases.failed(this.stream.id, this.deps.holder, message.slice(0, 500)).catch(() => undefined);
  }
}
