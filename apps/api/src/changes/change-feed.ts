import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';

export const DATABASE_URL = Symbol('DatabaseUrl');

/**
 * Something that instances cache changed: each instance drops what it holds of it. `webhook-deliveries`: an
 * organization's webhook outbox got rows (#17), which wakes every instance's dispatcher when they commit.
 */
export type Change =
  | { kind: 'widget'; id: string }
  | { kind: 'api-key'; id: string }
  | { kind: 'tenant'; id: string }
  | { kind: 'webhook-deliveries'; id: string };

const CHANNEL = 'keyring_changes';
const MAX_RETRY_MS = 5_000;

/**
 * Tells every Keyring instance on the database what changed, through PostgreSQL LISTEN/NOTIFY. A change is
 * published inside the transaction that makes it, so instances hear of it exactly when it commits. When the
 * listening connection drops, subscribers are told to forget everything (they may have missed changes) and, until
 * it is back, `live` is false so that caches stay out of the way.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeFeed');
  private readonly subscribers: ((change: Change | 'all') => void)[] = [];
  private client: Client | null = null;
  private stopped = false;
  private retryMs = 100;
  private _live = false;

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  /** Whether changes are being heard right now; caches must not be trusted otherwise. */
  get live(): boolean {
    return this._live;
  }

  /** Reconnections since start, for metrics and tests. */
  reconnects = 0;

  /** The caches this feed keeps honest, by the kind of thing they hold, for metrics. */
  readonly caches = new Map<Change['kind'], { hits: number; misses: number }>();

  subscribe(handler: (change: Change | 'all') => void): void {
    this.subscribers.push(handler);
  }

  async publish(manager: EntityManager, change: Change): Promise<void> {
    // This instance forgets at once; the others (and this one again) when the transaction commits.
    this.deliver(change);
    await manager.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(change)]);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this._live = false;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'keyring-listener' });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        this.deliver(JSON.parse(message.payload) as Change);
      } catch {
        this.deliver('all');
      }
    });
    client.on('error', () => undefined); // 'end' follows; reconnecting is handled there
    client.on('end', () => this.lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.logger.warn(`Cannot listen for changes yet (${(error as Error).message}); retrying`);
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      return;
    }
    this.client = client;
    this.retryMs = 100;
    // Whatever happened while not listening is unknown: start from nothing.
    this.deliver('all');
    this._live = true;
  }

  private lost(): void {
    if (this.stopped) return;
    this._live = false;
    this.client = null;
    this.reconnects += 1;
    this.deliver('all');
    this.logger.warn('Lost the change listener connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }

  private deliver(change: Change | 'all'): void {
    for (const subscriber of this.subscribers) subscriber(change);
  }
}
