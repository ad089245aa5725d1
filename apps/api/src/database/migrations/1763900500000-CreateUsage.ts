import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsage1763900500000 implements MigrationInterface {
  name = 'CreateUsage1763900500000';

  async up(db: QueryRunner): Promise<void> {
    // Tenant API calls per key, widget and minute, flushed from memory in batches (no write per request).
    await db.query(`
      CREATE TABLE usage_minutes (
        organization_id uuid NOT NULL REFERENCES organizations (id),
        api_key_id uuid NOT NULL REFERENCES api_keys (id),
        widget_id uuid NOT NULL REFERENCES widgets (id),
        minute timestamptz NOT NULL,
        issued integer NOT NULL DEFAULT 0,
        verified integer NOT NULL DEFAULT 0,
        PRIMARY KEY (api_key_id, widget_id, minute)
      )`);
    await db.query('CREATE INDEX usage_minutes_org_idx ON usage_minutes (organization_id, minute)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE usage_minutes');
  }
}
