import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditFeed } from '../audit/audit-feed';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';
import { outboundPolicy } from '../config/outbound-policy';
import { StreamLeasesRepository } from './stream-leases.repository';
import { StreamRunner } from './stream-runner';
import { parseStreamTarget } from './stream-target';

/** How often the worker looks for new events and streams: one indexed range read per stream. */
const POLL_MS = 1_000;

/**
 * The audit streams this instance sends. Every second it claims the streams no instance holds (a lease in
 * audit_streams: one instance per stream; a dead instance's lapse) and pokes a runner per stream it holds.
 */
@Injectable()
export class AuditStreamWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditStreams');
  /** This instance's id in audit_streams.lease_holder. */
  readonly holder = randomUUID();
  private readonly runners = new Map<string, StreamRunner>();
  private timer?: NodeJS.Timeout;
  private tick: Promise<void> | null = null;

  constructor(
    private readonly feed: AuditFeed,
    private readonly leases: StreamLeasesRepository,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.tick ??= this.claimAndPoke()
        .catch((error: unknown) => this.logger.warn(`Audit streams: ${(error as Error).message}`))
        .finally(() => (this.tick = null));
    }, POLL_MS);
    this.timer.unref();
  }

  /** Stops every runner and hands the streams back, so that the next instance to start resumes at once. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.tick;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
    await this.leases.release(this.holder).catch((error: unknown) => this.logger.warn(`Audit streams not released: ${(error as Error).message}`));
  }

  private async claimAndPoke(): Promise<void> {
    const streams = await this.leases.claim(this.holder);
    const held = new Set(streams.map((stream) => stream.id));
    for (const [id, runner] of this.runners) {
      if (held.has(id)) continue;
      this.runners.delete(id);
      await runner.stop();
    }
    for (const stream of streams) {
      let runner = this.runners.get(stream.id);
      if (!runner) {
        const target = parseStreamTarget(stream.kind, stream.url, this.config.nodeEnv === 'production');
        runner = new StreamRunner(stream, target, { feed: this.feed, leases: this.leases, holder: this.holder, logger: this.logger, policy: outboundPolicy(this.config) });
        this.runners.set(stream.id, runner);
      }
      runner.poke();
    }
  }
}
