/**
 * The events a webhook may subscribe to (#17). Most are audit events as they commit; `secret.rotation_due` and
 * `api_key.expiring` come from the reminders job, `audit.checkpoint` from the audit log's signed checkpoints, and
 * `webhook.test` only from "send a test event" (always delivered, never subscribed to).
 */
export const WEBHOOK_EVENT_TYPES = [
  'secret.rotated',
  'secret.rolled_back',
  'secret.revealed',
  'secret.destroyed',
  'secret.rotation_due',
  'api_key.created',
  'api_key.revoked',
  'api_key.expiring',
  'member.added',
  'member.removed',
  'tenant.archived',
  'audit.checkpoint',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Standard Webhooks' secret format: `whsec_` and the base64 of 32 random bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{43}=$/;
