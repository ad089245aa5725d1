/** Organization roles, from most to least powerful. */
export const ROLES = ['owner', 'admin', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

const EVERY_ROLE: readonly Role[] = ROLES;

/** What an API key may be allowed to do with the widgets of its tenant. */
export const API_KEY_SCOPES = ['user-hash:issue', 'user-hash:verify'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Which roles hold each permission: the one table of who may do what (PRODUCT.md, Domain). The API's AccessGuard
 * enforces it; the console uses it to hide what a role cannot do. Owners manage members and settings; admins
 * everything else; operators run the day-to-day without seeing secrets; auditors read everything but secrets.
 */
export const PERMISSIONS = {
  'members:read': EVERY_ROLE,
  'members:manage': ['owner'],
  'settings:read': EVERY_ROLE,
  'settings:manage': ['owner'],
  'audit:read': ['owner', 'admin', 'auditor'],
  /** Sending the audit log to a receiver outside Keyring (syslog, HTTPS): a copy of everything, so never a tenant-limited member. */
  'audit-streams:manage': ['owner', 'admin'],
  'tenants:read': EVERY_ROLE,
  'tenants:write': ['owner', 'admin', 'operator'],
  'widgets:read': EVERY_ROLE,
  'widgets:write': ['owner', 'admin', 'operator'],
  /** Bulk import: creates tenants and widgets and stores secrets, so only who may do each of those. */
  'imports:run': ['owner', 'admin', 'operator'],
  'secrets:rotate': ['owner', 'admin', 'operator'],
  'secrets:destroy': ['owner', 'admin'],
  'secrets:reveal': ['owner', 'admin'],
  /** Offboarding: queue for rotation the widgets whose secrets a (former) member saw. Reading the report is audit:read. */
  'secrets:request-rotation': ['owner', 'admin'],
  'user-hash:test': ['owner', 'admin', 'operator'],
  'api-keys:read': EVERY_ROLE,
  'api-keys:manage': ['owner', 'admin', 'operator'],
  'usage:read': EVERY_ROLE,
  // Webhooks send the organization's events out: admins set them up, auditors may check what was sent.
  'webhooks:read': ['owner', 'admin', 'auditor'],
  'webhooks:manage': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleAllows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
