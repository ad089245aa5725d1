import { createHmac, randomBytes } from 'node:crypto';
import type { EnvelopeBinding } from '../crypto/envelope';

const PREFIX = 'whsec_';

/** A new signing secret in Standard Webhooks' format: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/** What a webhook secret's ciphertext is bound to: it opens only on its own webhook's row. */
export function webhookSecretBinding(organizationId: string, webhookId: string): EnvelopeBinding {
  return { purpose: 'webhook-secret', organizationId, webhookId };
}

/**
 * The `webhook-signature` header of Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the
 * secret's decoded bytes, one per secret, space-separated (during a rotation's overlap, old and new both sign).
 */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
      return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
    })
    .join(' ');
}
