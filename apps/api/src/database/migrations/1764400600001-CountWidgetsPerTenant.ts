import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CountWidgetsPerTenant1764400600001 implements MigrationInterface {
  name = 'CountWidgetsPerTenant1764400600001';

  async up(db: QueryRunner): Promise<void> {
    // The dashboard's widget counts, per tenant, kept by a trigger in the transaction of every widget change: the
    // overview sums one row per tenant instead of reading every widget.
    await db.query(`
      CREATE TABLE tenant_widget_counts (
        tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
        live integer NOT NULL DEFAULT 0,
        without_secret integer NOT NULL DEFAULT 0
      )`);
    await db.query(`
      CREATE FUNCTION count_tenant_widgets(tenant uuid, live integer, without_secret integer) RETURNS void
      LANGUAGE sql AS $$
        INSERT INTO tenant_widget_counts AS c (tenant_id, live, without_secret) VALUES (tenant, live, without_secret)
        ON CONFLICT (tenant_id) DO UPDATE SET live = c.live + EXCLUDED.live, without_secret = c.without_secret + EXCLUDED.without_secret
      $$`);
    // A widget counts while not archived, and as without a secret while it has no active version.
    await db.query(`
      CREATE FUNCTION widgets_count_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.archived_at IS NULL THEN
          PERFORM count_tenant_widgets(OLD.tenant_id, -1, -(OLD.active_version IS NULL)::int);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.archived_at IS NULL THEN
          PERFORM count_tenant_widgets(NEW.tenant_id, 1, (NEW.active_version IS NULL)::int);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER widgets_count AFTER INSERT OR DELETE OR UPDATE OF tenant_id, archived_at, active_version ON widgets
      FOR EACH ROW EXECUTE FUNCTION widgets_count_trigger()`);
    await db.query(`
      INSERT INTO tenant_widget_counts (tenant_id, live, without_secret)
      SELECT tenant_id, count(*), count(*) FILTER (WHERE active_version IS NULL) FROM widgets WHERE archived_at IS NULL GROUP BY tenant_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER widgets_count ON widgets');
    await db.query('DROP FUNCTION widgets_count_trigger()');
    await db.query('DROP FUNCTION count_tenant_widgets(uuid, integer, integer)');
    await db.query('DROP TABLE tenant_widget_counts');
  }
}
