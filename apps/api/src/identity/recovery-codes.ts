import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ARGON2ID_OPTIONS } from './password-hasher';
import { sha256 } from './secret-tokens';

const COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i to misread
const SHAPE = /^[a-z2-9]{4}-[a-z2-9]{4}$/;

/*
 * One-time recovery codes (about 40 bits each) are stored as argon2id, with the password parameters, of the
 * code's SHA-256 in hex: a dump of the table costs an argon2id per guess. The SHA-256 step is how codes were
 * stored before; migration 1764400200000 wrapped those digests in argon2id, so they keep working unchanged.
 */

/** Argon2id of a code's SHA-256 digest (as migration 1764400200000 upgraded the codes stored the old way). */
function hashRecoveryDigest(digest: Buffer): Promise<string> {
  return hash(digest.toString('hex'), ARGON2ID_OPTIONS);
}

/** Replaces the user's recovery codes with ten new ones, returned this once. In the caller's transaction. */
export async function issueRecoveryCodes(manager: EntityManager, userId: string): Promise<string[]> {
  const codes = Array.from({ length: COUNT }, newRecoveryCode);
  const hashes: string[] = [];
  for (const code of codes) hashes.push(await hashRecoveryDigest(sha256(code))); // see spendRecoveryCode
  await manager.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  await manager.query('INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])', [userId, hashes]);
  return codes;
}

/**
 * Spends `code` if it is one of the user's unused recovery codes; false otherwise. The caller holds the user's row
 * lock, so one code cannot be spent twice at once. Only well-formed codes are tried: each try costs argon2id.
 */
export async function spendRecoveryCode(manager: EntityManager, userId: string, code: string): Promise<boolean> {
  const normalized = code.toLowerCase();
  if (!SHAPE.test(normalized)) return false;
  const digest = sha256(normalized).toString('hex');
  const unused = await manager.query<{ code_hash: string }[]>('SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  for (const { code_hash } of unused) {
    // One after the other: on two shared cores, parallel argon2id runs are no faster and hold more memory.
    if (await verify(code_hash, digest).catch(() => false)) {
      await manager.query('UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2', [userId, code_hash]);
      return true;
    }
  }
  return false;
}

function newRecoveryCode(): string {
  const pick = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${pick()}-${pick()}`;
}
