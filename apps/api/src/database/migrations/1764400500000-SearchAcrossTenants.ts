import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search that reaches every tenant: names folded for case and accents ("cafe" finds "Café Lumière") in generated
 * columns with trigram indexes, the Huggy widget uuid indexed for substring search, usage by widget for the
 * "unused" filter, and one live widget per name in a tenant.
 */
export class SearchAcrossTenants1764400500000 implements MigrationInterface {
  name = 'SearchAcrossTenants1764400500000';

  async up(db: QueryRunner): Promise<void> {
    // Both are "trusted" extensions: the migration owner creates them without being a superuser.
    await db.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    // unaccent() is only STABLE (its dictionary could change); naming the dictionary pins it, so the fold may be
    // IMMUTABLE and serve generated columns and indexes.
    await db.query(`
      CREATE FUNCTION keyring_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1))`);

    await db.query('ALTER TABLE tenants ADD COLUMN search_name text GENERATED ALWAYS AS (keyring_fold(name)) STORED');
    await db.query('DROP INDEX tenants_name_trgm_idx');
    await db.query('CREATE INDEX tenants_search_trgm_idx ON tenants USING gin (search_name gin_trgm_ops)');

    await db.query('ALTER TABLE widgets ADD COLUMN search_name text GENERATED ALWAYS AS (keyring_fold(name)) STORED');
    await db.query('DROP INDEX widgets_name_trgm_idx');
    await db.query('CREATE INDEX widgets_search_trgm_idx ON widgets USING gin (search_name gin_trgm_ops)');
    await db.query('CREATE INDEX widgets_huggy_uuid_trgm_idx ON widgets USING gin (lower(huggy_widget_uuid) gin_trgm_ops)');
    await db.query('CREATE INDEX widgets_archived_idx ON widgets (organization_id, lower(name), id) WHERE archived_at IS NOT NULL');

    // "Unused": no userHash issued for the widget since a date.
    await db.query('CREATE INDEX usage_minutes_widget_idx ON usage_minutes (widget_id, minute) WHERE issued > 0');

    // Two live widgets of one name in one tenant are told apart by nobody. Older duplicates get a suffix so that
    // the index can be built on an existing install; nothing else about them changes.
    await db.query(`
      UPDATE widgets w SET name = left(w.name, 190) || ' (' || d.n || ')', updated_at = now()
        FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id, lower(name) ORDER BY created_at, id) AS n
                FROM widgets WHERE archived_at IS NULL) d
       WHERE d.id = w.id AND d.n > 1`);
    await db.query('CREATE UNIQUE INDEX widgets_tenant_name_key ON widgets (tenant_id, lower(name)) WHERE archived_at IS NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX widgets_tenant_name_key');
    await db.query('DROP INDEX usage_minutes_widget_idx');
    await db.query('DROP INDEX widgets_archived_idx');
    await db.query('DROP INDEX widgets_huggy_uuid_trgm_idx');
    await db.query('DROP INDEX widgets_search_trgm_idx');
    await db.query('ALTER TABLE widgets DROP COLUMN search_name');
    await db.query('CREATE INDEX widgets_name_trgm_idx ON widgets USING gin (lower(name) gin_trgm_ops)');
    await db.query('DROP INDEX tenants_search_trgm_idx');
    await db.query('ALTER TABLE tenants DROP COLUMN search_name');
    await db.query('CREATE INDEX tenants_name_trgm_idx ON tenants USING gin (lower(name) gin_trgm_ops)');
    await db.query('DROP FUNCTION keyring_fold(text)');
    await db.query('DROP EXTENSION IF EXISTS unaccent');
  }
}
