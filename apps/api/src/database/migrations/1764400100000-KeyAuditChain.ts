import type { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyAuditChain1764400100000 implements MigrationInterface {
  name = 'KeyAuditChain1764400100000';

  async up(db: QueryRunner): Promise<void> {
    // The audit key an event's MAC is under (a master key id); NULL for the unkeyed events written before this
    // migration, which verification accepts only up to the signed checkpoint that seals them.
    await db.query('ALTER TABLE audit_events ADD COLUMN key_id text');
    // Finds, at each start, the chains whose unkeyed events are still to be sealed, without reading the whole log.
    await db.query(`
      CREATE INDEX audit_events_unkeyed_idx ON audit_events ((COALESCE(organization_id, '00000000-0000-0000-0000-000000000000'::uuid)), seq)
       WHERE key_id IS NULL`);
    // Secrets of the audit log, each a JWE under a master key (never usable from the database alone): the MAC keys
    // derived from master keys (kept so that events stay verifiable after their master key is retired) and the
    // Ed25519 keys that sign checkpoints (every one stays listed in the JWKS).
    await db.query(`
      CREATE TABLE audit_keys (
        kind text NOT NULL CHECK (kind IN ('mac', 'signing')),
        kid text NOT NULL,
        wrapped text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, kid)
      )`);
    // Signed statements "the chain held this hash at this seq". chain_id is the organization, or the nil UUID for
    // the installation's own chain. legacy_digest is set on the checkpoint that seals a pre-existing unkeyed chain.
    await db.query(`
      CREATE TABLE audit_checkpoints (
        chain_id uuid NOT NULL,
        seq bigint NOT NULL CHECK (seq >= 0),
        hash text NOT NULL,
        issued_at timestamptz NOT NULL,
        kid text NOT NULL,
        jws text NOT NULL,
        legacy_digest text,
        PRIMARY KEY (chain_id, seq)
      )`);
    // How far each chain has been verified (the next verification starts there, if verified_mac, under the audit
    // key, vouches for it) and the last full verification.
    await db.query(`
      CREATE TABLE audit_chain_state (
        chain_id uuid PRIMARY KEY,
        verified_seq bigint NOT NULL DEFAULT 0,
        verified_hash text NOT NULL DEFAULT '${'0'.repeat(64)}',
        verified_mac text,
        full_started_at timestamptz,
        full_finished_at timestamptz,
        full_valid boolean,
        full_checked_events bigint,
        full_first_broken_seq bigint,
        full_reason text
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit_chain_state');
    await db.query('DROP TABLE audit_checkpoints');
    await db.query('DROP TABLE audit_keys');
    await db.query('DROP INDEX audit_events_unkeyed_idx');
    await db.query('ALTER TABLE audit_events DROP COLUMN key_id');
  }
}
