import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';

interface Counter {
  organizationId: string;
  apiKeyId: string;
  widgetId: string;
  minute: Date;
  issued: number;
  verified: number;
}

/**
 * Counts tenant-API use per key, widget and minute in memory and writes the counts in one statement every
 * `usageFlushSeconds` (and at shutdown), with each key's last_used_at at most once a minute: no database write per
 * request. A crash loses at most the counts of the last flush interval.
 */
@Injectable()
export class UsageRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Usage');
  private counters = new Map<string, Counter>();
  /** The minute of each key's last written last_used_at. */
  private readonly lastUsedWritten = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush().catch((error: unknown) => this.logger.error({ err: error }, 'Usage flush failed')), this.config.usageFlushSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(key: { id: string; organizationId: string }, widgetId: string, kind: 'issued' | 'verified', count: number): void {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    this.add({ organizationId: key.organizationId, apiKeyId: key.id, widgetId, minute, issued: 0, verified: 0, [kind]: count });
  }

  private add(counter: Counter): void {
    const id = `${counter.apiKeyId}|${counter.widgetId}|${counter.minute.getTime()}`;
    const existing = this.counters.get(id);
    if (!existing) {
      this.counters.set(id, { ...counter });
      return;
    }
    existing.issued += counter.issued;
    existing.verified += counter.verified;
  }

  /** Writes what was counted since the last flush. */
  async flush(): Promise<void> {
    if (this.counters.size === 0) return;
    const batch = [...this.counters.values()];
    this.counters = new Map();
    try {
      await this.db.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO usage_minutes AS u (organization_id, api_key_id, widget_id, minute, issued, verified)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[], $6::int[])
           ON CONFLICT (api_key_id, widget_id, minute)
           DO UPDATE SET issued = u.issued + EXCLUDED.issued, verified = u.verified + EXCLUDED.verified`,
          [
            batch.map((c) => c.organizationId),
            batch.map((c) => c.apiKeyId),
            batch.map((c) => c.widgetId),
            batch.map((c) => c.minute),
            batch.map((c) => c.issued),
            batch.map((c) => c.verified),
          ],
        );
        const lastUsed = this.lastUsedToWrite(batch);
        if (lastUsed.length > 0) {
          await manager.query(
            `UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, x.at)
               FROM unnest($1::uuid[], $2::timestamptz[]) AS x(id, at) WHERE k.id = x.id`,
            [lastUsed.map(([id]) => id), lastUsed.map(([, at]) => new Date(at))],
          );
        }
      });
    } catch (error) {
      // Keep the counts for the next flush (a database outage does not lose them; a crash during it would).
      for (const counter of batch) this.add(counter);
      throw error;
    }
  }

  private lastUsedToWrite(batch: Counter[]): [string, number][] {
    const latest = new Map<string, number>();
    for (const counter of batch) latest.set(counter.apiKeyId, Math.max(latest.get(counter.apiKeyId) ?? 0, counter.minute.getTime()));
    return [...latest].filter(([id, minute]) => {
      if (this.lastUsedWritten.get(id) === minute) return false;
      this.lastUsedWritten.set(id, minute);
      return true;
    });
  }
}
