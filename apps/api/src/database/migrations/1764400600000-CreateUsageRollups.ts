import type { MigrationInterface, QueryRunner } from 'typeorm';

const LEVELS = [
  { table: 'usage_hours', unit: 'hour', from: 'usage_minutes', column: 'minute' },
  { table: 'usage_days', unit: 'day', from: 'usage_hours', column: 'bucket' },
] as const;

export class CreateUsageRollups1764400600000 implements MigrationInterface {
  name = 'CreateUsageRollups1764400600000';

  async up(db: QueryRunner): Promise<void> {
    // The rollup reads the last hours of minutes, and retention deletes the oldest, across organizations.
    await db.query('CREATE INDEX usage_minutes_minute_idx ON usage_minutes (minute)');
    // Usage per widget and hour / day (UTC), summed from the level below by UsageRollup: the usage chart reads at
    // most one row per widget and bucket, however much traffic there was.
    for (const { table, unit, from, column } of LEVELS) {
      await db.query(`
        CREATE TABLE ${table} (
          organization_id uuid NOT NULL REFERENCES organizations (id),
          widget_id uuid NOT NULL REFERENCES widgets (id),
          bucket timestamptz NOT NULL,
          issued bigint NOT NULL,
          verified bigint NOT NULL,
          PRIMARY KEY (widget_id, bucket)
        )`);
      await db.query(`CREATE INDEX ${table}_org_idx ON ${table} (organization_id, bucket)`);
      await db.query(`CREATE INDEX ${table}_bucket_idx ON ${table} (bucket)`);
      await db.query(
        `INSERT INTO ${table} (organization_id, widget_id, bucket, issued, verified)
         SELECT organization_id, widget_id, date_trunc('${unit}', ${column}, 'UTC'), sum(issued), sum(verified)
           FROM ${from} GROUP BY 1, 2, 3`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE usage_days');
    await db.query('DROP TABLE usage_hours');
    await db.query('DROP INDEX usage_minutes_minute_idx');
  }
}
