import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTotp1763900200000 implements MigrationInterface {
  name = 'AddTotp1763900200000';

  async up(db: QueryRunner): Promise<void> {
    // TOTP secrets are JWE envelopes under the master key, bound to their user.
    await db.query(`
      ALTER TABLE users
        ADD COLUMN totp_secret_enc text,
        ADD COLUMN totp_pending_enc text,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint`);
    await db.query(`
      CREATE TABLE recovery_codes (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE recovery_codes');
    await db.query(`ALTER TABLE users DROP COLUMN totp_secret_enc, DROP COLUMN totp_pending_enc,
      DROP COLUMN totp_enabled_at, DROP COLUMN totp_last_step`);
  }
}
