import { hash } from '@node-rs/argon2';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * identity's argon2id parameters of the day, frozen here: a migration must not change with the feature code (nor
 * import it, being below it), and argon2id keeps its parameters in each hash, so later changes still verify these.
 */
const ARGON2ID_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Recovery codes were stored as a bare SHA-256 (about 40 bits each: a dump yields them all). Each stored digest is
 * now wrapped in argon2id, which is how new codes are stored too (identity/recovery-codes.ts): codes handed out
 * before keep working, and nobody has to know them for the upgrade. Costs one argon2id per stored code.
 */
export class HashRecoveryCodesWithArgon21764400200000 implements MigrationInterface {
  name = 'HashRecoveryCodesWithArgon21764400200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE recovery_codes ADD COLUMN code_argon2 text');
    const rows = await db.manager.query<{ user_id: string; code_hash: Buffer }[]>('SELECT user_id, code_hash FROM recovery_codes');
    for (const row of rows) {
      await db.query('UPDATE recovery_codes SET code_argon2 = $3 WHERE user_id = $1 AND code_hash = $2', [
        row.user_id,
        row.code_hash,
        await hash(row.code_hash.toString('hex'), ARGON2ID_OPTIONS),
      ]);
    }
    await db.query('ALTER TABLE recovery_codes DROP CONSTRAINT recovery_codes_pkey, DROP COLUMN code_hash');
    await db.query('ALTER TABLE recovery_codes RENAME COLUMN code_argon2 TO code_hash');
    await db.query('ALTER TABLE recovery_codes ALTER COLUMN code_hash SET NOT NULL, ADD PRIMARY KEY (user_id, code_hash)');
  }

  async down(): Promise<void> {
    throw new Error('Recovery codes cannot go back to SHA-256: argon2id does not reveal the digest. Restore a backup instead.');
  }
}
