import type { EntityManager } from 'typeorm';
import { keyIdOf, type Envelope } from '../crypto/envelope';
import { webhookSecretBinding } from './webhook-signature';

interface SecretRow {
  id: string;
  organization_id: string;
  secret_enc: string;
  previous_secret_enc: string | null;
}

/** How many webhook signing secrets (current and previous) each master key wraps; webhooks are few, headers are read. */
export async function webhookSecretKeyUsage(manager: EntityManager): Promise<Map<string, number>> {
  const usage = new Map<string, number>();
  for (const row of await manager.query<Pick<SecretRow, 'secret_enc' | 'previous_secret_enc'>[]>('SELECT secret_enc, previous_secret_enc FROM webhooks')) {
    for (const jwe of [row.secret_enc, row.previous_secret_enc]) {
      if (jwe !== null) usage.set(keyIdOf(jwe), (usage.get(keyIdOf(jwe)) ?? 0) + 1);
    }
  }
  return usage;
}

/**
 * Moves every webhook signing secret (current and previous) not under the active master key onto it, in the
 * caller's transaction and under the webhooks' row locks (a rotation takes the same lock); how many values moved.
 * Part of `keyring rewrap`: an old master key removed while a webhook still needs it would stop its deliveries.
 */
export async function rewrapWebhookSecrets(manager: EntityManager, envelope: Envelope): Promise<number> {
  const rows = await manager.query<SecretRow[]>('SELECT id, organization_id, secret_enc, previous_secret_enc FROM webhooks ORDER BY id FOR UPDATE');
  let moved = 0;
  for (const row of rows) {
    const binding = webhookSecretBinding(row.organization_id, row.id);
    const rewrap = async (jwe: string | null): Promise<string | null> => {
      if (jwe === null || keyIdOf(jwe) === envelope.activeKeyId) return jwe;
      moved += 1;
      return envelope.encrypt(await envelope.decrypt(jwe, binding), binding);
    };
    const [secret, previous] = [await rewrap(row.secret_enc), await rewrap(row.previous_secret_enc)];
    if (secret !== row.secret_enc || previous !== row.previous_secret_enc) {
      await manager.query('UPDATE webhooks SET secret_enc = $2, previous_secret_enc = $3 WHERE id = $1', [row.id, secret, previous]);
    }
  }
  return moved;
}
