import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { KEYRING_CONFIG, type KeyringConfig } from '../config/keyring-config';

/** Held for the job's transaction: one instance rolls up at a time, the others skip that round. */
const ROLLUP_LOCK = 'usage-rollup';

/**
 * Sums usage_minutes into usage_hours, those into usage_days and those into usage_tenant_days (per tenant: the
 * chart of many widgets), every `usageRollupSeconds`, and deletes each
 * level past its retention. Each round recomputes the current and the previous hour and day from the level below
 * and overwrites them, so a round is idempotent, a skipped or failed one is made up by the next, and counts flushed
 * late into the previous hour are still taken.
 */
@Injectable()
export class UsageRollup implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('UsageRollup');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    @Inject(KEYRING_CONFIG) private readonly config: KeyringConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.run().catch((error: unknown) => this.logger.error({ err: error }, 'Usage rollup failed')), this.config.usageRollupSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One round; false when another instance holds the lock. */
  async run(): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [ROLLUP_LOCK]);
      if (!locked) return false;
      await rollUp(manager, 'usage_hours', 'hour', 'usage_minutes', 'minute');
      await rollUp(manager, 'usage_days', 'day', 'usage_hours', 'bucket');
      await rollUpTenants(manager);
      await prune(manager, 'usage_minutes', 'minute', `${this.config.usageMinuteRetentionHours} hours`);
      await prune(manager, 'usage_hours', 'bucket', `${this.config.usageHourRetentionDays} days`);
      await prune(manager, 'usage_days', 'bucket', `${this.config.usageDayRetentionDays} days`);
      await prune(manager, 'usage_tenant_days', 'bucket', `${this.config.usageDayRetentionDays} days`);
      return true;
    });
  }
}

async function rollUp(manager: EntityManager, table: string, unit: 'hour' | 'day', source: string, column: string): Promise<void> {
  const since = `date_trunc('${unit}', now(), 'UTC') - interval '1 ${unit}'`;
  await manager.query(
    `INSERT INTO ${table} AS r (organization_id, widget_id, bucket, issued, verified)
     SELECT organization_id, widget_id, date_trunc('${unit}', ${column}, 'UTC'), sum(issued), sum(verified)
       FROM ${source} WHERE ${column} >= ${since} GROUP BY 1, 2, 3
     ON CONFLICT (widget_id, bucket) DO UPDATE SET issued = EXCLUDED.issued, verified = EXCLUDED.verified`,
  );
}

/** The current and the previous day of each tenant, from its widgets' days (a widget counts where it is now). */
async function rollUpTenants(manager: EntityManager): Promise<void> {
  await manager.query(
    `INSERT INTO usage_tenant_days AS r (organization_id, tenant_id, bucket, issued, verified)
     SELECT u.organization_id, w.tenant_id, u.bucket, sum(u.issued), sum(u.verified)
       FROM usage_days u JOIN widgets w ON w.id = u.widget_id
      WHERE u.bucket >= date_trunc('day', now(), 'UTC') - interval '1 day' GROUP BY 1, 2, 3
     ON CONFLICT (tenant_id, bucket) DO UPDATE SET issued = EXCLUDED.issued, verified = EXCLUDED.verified`,
  );
}

async function prune(manager: EntityManager, table: string, column: string, retention: string): Promise<void> {
  await manager.query(`DELETE FROM ${table} WHERE ${column} < now() - $1::interval`, [retention]);
}
