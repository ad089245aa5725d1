/**
 * Every action the audit log records, grouped as people look for them. The API's AuditWriter accepts only these,
 * and the console has a sentence for each (a `Record<AuditAction, …>`), so an action added to the API without
 * words in the console does not compile.
 */
export const AUDIT_ACTION_GROUPS = [
  { label: 'Secrets', actions: ['secret.rotated', 'secret.rolled_back', 'secret.revealed', 'secret.destroyed', 'secret.rotation_due', 'user_hash.tested'] },
  { label: 'Widgets', actions: ['widget.created', 'widget.updated', 'widget.archived', 'widget.rotation_requested'] },
  { label: 'Imports', actions: ['import.applied'] },
  { label: 'Tenants', actions: ['tenant.created', 'tenant.updated', 'tenant.archived', 'tenant.unarchived'] },
  { label: 'API keys', actions: ['api_key.created', 'api_key.revoked', 'api_key.expiring'] },
  { label: 'Members', actions: ['member.invited', 'member.invitation_resent', 'member.invitation_revoked', 'member.joined', 'member.updated', 'member.removed', 'member.offboarding_rotation_requested'] },
  {
    label: 'Sign-in and security',
    actions: [
      'auth.login_succeeded',
      'auth.login_failed',
      'auth.logged_out',
      'auth.password_changed',
      'auth.reauthentication_failed',
      'auth.totp_enabled',
      'auth.totp_disabled',
      'auth.recovery_code_used',
    ],
  },
  { label: 'Webhooks', actions: ['webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.secret_rotated', 'webhook.disabled'] },
  { label: 'Organization', actions: ['setup.completed', 'organization.created', 'settings.updated', 'master_key.rewrap_started', 'master_key.rewrap_completed', 'master_key.rewrap_stopped'] },
  { label: 'Audit streaming', actions: ['audit_stream.created', 'audit_stream.deleted'] },
] as const;

export type AuditAction = (typeof AUDIT_ACTION_GROUPS)[number]['actions'][number];

export const AUDIT_ACTIONS: readonly AuditAction[] = AUDIT_ACTION_GROUPS.flatMap((group) => group.actions);
