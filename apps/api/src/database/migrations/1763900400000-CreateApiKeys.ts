import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1763900400000 implements MigrationInterface {
  name = 'CreateApiKeys1763900400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        -- The first characters of the key, shown in lists so that people can tell keys apart.
        prefix text NOT NULL,
        -- SHA-256 of the whole key; the key itself is never stored.
        key_hash bytea NOT NULL UNIQUE,
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['user-hash:issue', 'user-hash:verify'] AND cardinality(scopes) > 0),
        -- NULL: every widget of the tenant.
        widget_ids uuid[],
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid REFERENCES users (id),
        revoked_at timestamptz,
        last_used_at timestamptz,
        FOREIGN KEY (organization_id, tenant_id) REFERENCES tenants (organization_id, id)
      )`);
    await db.query('CREATE INDEX api_keys_org_idx ON api_keys (organization_id, created_at DESC, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE api_keys');
  }
}
