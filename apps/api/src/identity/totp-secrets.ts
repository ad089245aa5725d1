import type { EntityManager } from 'typeorm';
import { keyIdOf, type Envelope } from '../crypto/envelope';

/** What a user's TOTP secret is bound to in its JWE header: it opens for that user only. */
export const totpSecretBinding = (userId: string) => ({ purpose: 'totp-secret', userId });

interface TotpRow {
  id: string;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
}

const SELECT_TOTP = 'SELECT id, totp_secret_enc, totp_pending_enc FROM users WHERE totp_secret_enc IS NOT NULL OR totp_pending_enc IS NOT NULL';

/**
 * How many TOTP secrets (enabled or pending) each master key wraps. Users are few (an agency's staff), so the key
 * ids are read from the JWE headers here rather than kept in a column.
 */
export async function totpSecretKeyUsage(manager: EntityManager): Promise<Map<string, number>> {
  const usage = new Map<string, number>();
  for (const row of await manager.query<TotpRow[]>(SELECT_TOTP)) {
    for (const jwe of [row.totp_secret_enc, row.totp_pending_enc]) {
      if (jwe !== null) usage.set(keyIdOf(jwe), (usage.get(keyIdOf(jwe)) ?? 0) + 1);
    }
  }
  return usage;
}

/**
 * Moves every TOTP secret not under the active master key onto it, in the caller's transaction and under the
 * users' row locks (a sign-in checking a code holds the same lock); how many values moved.
 */
export async function rewrapTotpSecrets(manager: EntityManager, envelope: Envelope): Promise<number> {
  const rows = await manager.query<TotpRow[]>(`${SELECT_TOTP} FOR UPDATE`);
  let moved = 0;
  const rewrap = async (userId: string, jwe: string | null): Promise<string | null> => {
    if (jwe === null || keyIdOf(jwe) === envelope.activeKeyId) return jwe;
    moved += 1;
    const binding = totpSecretBinding(userId);
    return envelope.encrypt(await envelope.decrypt(jwe, binding), binding);
  };
  for (const row of rows) {
    const [secret, pending] = [await rewrap(row.id, row.totp_secret_enc), await rewrap(row.id, row.totp_pending_enc)];
    if (secret !== row.totp_secret_enc || pending !== row.totp_pending_enc) {
      await manager.query('UPDATE users SET totp_secret_enc = $2, totp_pending_enc = $3 WHERE id = $1', [row.id, secret, pending]);
    }
  }
  return moved;
}
