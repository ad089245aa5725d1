import type { Role } from '@keyring/contracts';

/** What each role may do, in the words of PRODUCT.md, shown beside the role picker. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything, including members and the organization’s settings.',
  admin: 'Everything but members and settings, including revealing a secret.',
  operator: 'Tenants, widgets, rotation and test tokens; never sees a secret.',
  auditor: 'Reads everything, the audit log included, but never a secret.',
};
