import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditStreams1764500100000 implements MigrationInterface {
  name = 'CreateAuditStreams1764500100000';

  async up(db: QueryRunner): Promise<void> {
    // Copies of an organization's audit chain sent to a receiver outside Keyring (syslog over TCP/TLS, or NDJSON over
    // HTTPS). The cursors live here, so that a restart resumes where the receiver last accepted; the lease says which
    // instance streams it now (one at a time), and lapses if that instance dies.
    await db.query(`
      CREATE TABLE audit_streams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id),
        kind text NOT NULL CHECK (kind IN ('syslog', 'https')),
        url text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        start_seq bigint NOT NULL CHECK (start_seq >= 0),
        delivered_seq bigint NOT NULL CHECK (delivered_seq >= start_seq),
        checkpoint_seq bigint NOT NULL,
        last_delivered_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        lease_holder uuid,
        lease_expires_at timestamptz
      )`);
    await db.query('CREATE UNIQUE INDEX audit_streams_org_url_key ON audit_streams (organization_id, url)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit_streams');
  }
}
