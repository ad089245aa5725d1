import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentityAndAudit1763900100000 implements MigrationInterface {
  name = 'CreateIdentityAndAudit1763900100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE UNIQUE INDEX users_email_key ON users (lower(email))');

    await db.query(`CREATE TYPE member_role AS ENUM ('owner', 'admin', 'operator', 'auditor')`);
    await db.query(`
      CREATE TABLE memberships (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role member_role NOT NULL,
        -- NULL: every tenant of the organization; otherwise only these.
        tenant_ids uuid[],
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, user_id)
      )`);
    await db.query('CREATE INDEX memberships_user_idx ON memberships (user_id)');

    await db.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        email text NOT NULL,
        role member_role NOT NULL,
        tenant_ids uuid[],
        token_hash bytea NOT NULL UNIQUE,
        invited_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz
      )`);
    await db.query('CREATE INDEX invitations_org_idx ON invitations (organization_id, created_at DESC)');

    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ip text,
        user_agent text
      )`);
    await db.query('CREATE INDEX sessions_user_idx ON sessions (user_id)');

    // One row: whether first-run setup is done, and the hash of the token that allows it.
    await db.query(`
      CREATE TABLE setup_state (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        token_hash bytea,
        completed_at timestamptz
      )`);
    await db.query('INSERT INTO setup_state DEFAULT VALUES');

    // Failed logins per email and per IP, shared by every instance.
    await db.query(`
      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        locked_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Append-only, hash-chained per organization. organization_id NULL is the installation's own chain
    // (failed logins of unknown emails, start-up events).
    await db.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organization_id uuid REFERENCES organizations (id),
        seq bigint NOT NULL CHECK (seq > 0),
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system', 'anonymous')),
        actor_id text,
        actor_label text,
        action text NOT NULL,
        target_type text,
        target_id text,
        tenant_id uuid,
        ip text,
        user_agent text,
        request_id text,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
        details jsonb NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX audit_events_chain_key
         ON audit_events (COALESCE(organization_id, '00000000-0000-0000-0000-000000000000'::uuid), seq)`,
    );
    // The log is read newest first, by seq, optionally filtered: one index per filter, each ending in seq.
    await db.query('CREATE INDEX audit_events_org_seq_idx ON audit_events (organization_id, seq)');
    await db.query('CREATE INDEX audit_events_org_action_idx ON audit_events (organization_id, action, seq)');
    await db.query('CREATE INDEX audit_events_org_actor_idx ON audit_events (organization_id, actor_id, seq)');
    await db.query('CREATE INDEX audit_events_org_target_idx ON audit_events (organization_id, target_type, target_id, seq)');
    await db.query('CREATE INDEX audit_events_org_tenant_idx ON audit_events (organization_id, tenant_id, seq) WHERE tenant_id IS NOT NULL');
    // Time windows are turned into seq bounds through this one.
    await db.query('CREATE INDEX audit_events_org_time_idx ON audit_events (organization_id, occurred_at)');
    await db.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit_events');
    await db.query('DROP FUNCTION audit_events_append_only');
    await db.query('DROP TABLE login_throttle, setup_state, sessions, invitations, memberships, users');
    await db.query('DROP TYPE member_role');
  }
}
