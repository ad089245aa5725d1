import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCustody1763900300000 implements MigrationInterface {
  name = 'CreateCustody1763900300000';

  async up(db: QueryRunner): Promise<void> {
    // Substring search over names of many thousands of tenants and widgets.
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.query(`
      ALTER TABLE organizations
        ADD COLUMN rotation_max_age_days integer NOT NULL DEFAULT 90 CHECK (rotation_max_age_days BETWEEN 1 AND 3650)`);

    await db.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        UNIQUE (organization_id, id)
      )`);
    await db.query('CREATE UNIQUE INDEX tenants_name_key ON tenants (organization_id, lower(name)) WHERE archived_at IS NULL');
    await db.query('CREATE INDEX tenants_list_idx ON tenants (organization_id, lower(name), id)');
    await db.query('CREATE INDEX tenants_name_trgm_idx ON tenants USING gin (lower(name) gin_trgm_ops)');

    await db.query(`
      CREATE TABLE widgets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        huggy_widget_uuid text,
        huggy_company_id text,
        token_claims text NOT NULL DEFAULT 'jti' CHECK (token_claims IN ('jti', 'jti+iat', 'jti+iat+exp')),
        token_ttl_seconds integer CHECK (token_ttl_seconds BETWEEN 1 AND 31536000),
        -- Mirrors the version whose state is 'active' (kept in the same transactions), so that widgets without
        -- a secret are found through an index rather than by looking at every widget.
        active_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        -- A widget's tenant is always of the widget's own organization.
        FOREIGN KEY (organization_id, tenant_id) REFERENCES tenants (organization_id, id),
        CHECK ((token_claims = 'jti+iat+exp') = (token_ttl_seconds IS NOT NULL))
      )`);
    await db.query('CREATE INDEX widgets_list_idx ON widgets (organization_id, lower(name), id)');
    await db.query('CREATE INDEX widgets_tenant_idx ON widgets (organization_id, tenant_id, lower(name), id)');
    await db.query('CREATE INDEX widgets_name_trgm_idx ON widgets USING gin (lower(name) gin_trgm_ops)');
    await db.query(
      'CREATE INDEX widgets_no_secret_idx ON widgets (organization_id, lower(name), id) WHERE active_version IS NULL AND archived_at IS NULL',
    );

    await db.query(`
      CREATE TABLE secret_versions (
        widget_id uuid NOT NULL REFERENCES widgets (id),
        version integer NOT NULL CHECK (version > 0),
        organization_id uuid NOT NULL REFERENCES organizations (id),
        state text NOT NULL CHECK (state IN ('active', 'previous', 'retired', 'destroyed')),
        -- JWE compact (A256GCMKW + A256GCM) under the master key master_key_id; NULL once destroyed.
        ciphertext text,
        master_key_id text,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users (id),
        activated_at timestamptz,
        retired_at timestamptz,
        destroyed_at timestamptz,
        PRIMARY KEY (widget_id, version),
        CHECK ((state = 'destroyed') = (ciphertext IS NULL)),
        CHECK ((ciphertext IS NULL) = (master_key_id IS NULL))
      )`);
    // At most one active and one previous version per widget, whatever the application does.
    await db.query("CREATE UNIQUE INDEX secret_versions_one_active ON secret_versions (widget_id) WHERE state = 'active'");
    await db.query("CREATE UNIQUE INDEX secret_versions_one_previous ON secret_versions (widget_id) WHERE state = 'previous'");
    // "Needs attention": the oldest active secrets of an organization first.
    await db.query("CREATE INDEX secret_versions_active_age_idx ON secret_versions (organization_id, activated_at) WHERE state = 'active'");
    await db.query('CREATE INDEX secret_versions_master_key_idx ON secret_versions (master_key_id) WHERE ciphertext IS NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE secret_versions, widgets, tenants');
    await db.query('ALTER TABLE organizations DROP COLUMN rotation_max_age_days');
  }
}
