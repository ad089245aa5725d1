import type { SchemaObject } from '../common/http/openapi-types';

/** A type of libs/contracts, by name (its schema is generated into contract-schemas.json). */
const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
const page = (name: string): SchemaObject => ({
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: ref(name) }, nextCursor: { type: ['string', 'null'] as never, description: 'Pass back as `cursor` for the next page.' } },
});
const list = (name: string): SchemaObject => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(name) } } });
const object = (properties: Record<string, SchemaObject>): SchemaObject => ({ type: 'object', required: Object.keys(properties), properties });
const string: SchemaObject = { type: 'string' };
const userAndOrganization = object({ user: object({ id: string, email: string }), organization: object({ id: string, name: string }) });

/**
 * The success body of every Nest route, by route (routes answering 204 have none). The OpenAPI document puts each
 * under the route's success status; a test checks that every route has an entry and that real answers match.
 */
export const SUCCESS_BODIES: Record<string, SchemaObject | null> = {
  'GET /healthz': object({ status: { type: 'string', enum: ['ok'] } }),
  'GET /readyz': object({ status: { type: 'string', enum: ['ready'] }, checks: { type: 'object' } }),
  'GET /metrics': { type: 'string', description: 'Prometheus text format.' },
  'GET /api/v1/setup': object({ required: { type: 'boolean' } }),
  'POST /api/v1/setup': userAndOrganization,
  'POST /api/v1/auth/login': ref('SessionView'),
  'POST /api/v1/auth/logout': null,
  'POST /api/v1/auth/totp/enrol': object({ otpauthUrl: string, secret: { type: 'string', description: 'Shown this once.' } }),
  'POST /api/v1/auth/totp/confirm': object({ recoveryCodes: { type: 'array', items: string, description: 'Shown this once.' } }),
  'POST /api/v1/auth/totp/disable': null,
  'POST /api/v1/auth/password': null,
  'GET /api/v1/auth/me': ref('SessionView'),
  'GET /api/v1/orgs': list('Membership'),
  'POST /api/v1/orgs': object({ id: string, name: string }),
  'GET /api/v1/orgs/:orgId/members': page('Member'),
  'POST /api/v1/orgs/:orgId/members/invitations': object({ invitation: ref('Invitation'), token: { type: 'string', description: 'Shown this once: send it as a link.' } }),
  'GET /api/v1/orgs/:orgId/members/invitations': list('PendingInvitation'),
  'POST /api/v1/orgs/:orgId/members/invitations/:invitationId/resend': object({ invitation: ref('Invitation'), token: { type: 'string', description: 'The new link, shown this once; the old one no longer works.' } }),
  'DELETE /api/v1/orgs/:orgId/members/invitations/:invitationId': null,
  'PATCH /api/v1/orgs/:orgId/members/:userId': ref('Member'),
  'DELETE /api/v1/orgs/:orgId/members/:userId': null,
  'POST /api/v1/invitations/preview': ref('InvitationPreview'),
  'POST /api/v1/invitations/accept': { ...userAndOrganization, properties: { ...userAndOrganization.properties, role: ref('Role') }, required: ['user', 'organization', 'role'] },
  'GET /api/v1/orgs/:orgId/settings': ref('OrganizationSettings'),
  'PATCH /api/v1/orgs/:orgId/settings': ref('OrganizationSettings'),
  'GET /api/v1/orgs/:orgId/overview': ref('OrganizationOverview'),
  'GET /api/v1/orgs/:orgId/tenants': page('Tenant'),
  'POST /api/v1/orgs/:orgId/tenants': ref('Tenant'),
  'GET /api/v1/orgs/:orgId/tenants/:tenantId': ref('Tenant'),
  'PATCH /api/v1/orgs/:orgId/tenants/:tenantId': ref('Tenant'),
  'POST /api/v1/orgs/:orgId/tenants/:tenantId/archive': ref('Tenant'),
  'POST /api/v1/orgs/:orgId/tenants/:tenantId/unarchive': ref('Tenant'),
  'GET /api/v1/orgs/:orgId/widgets': ref('WidgetPage'),
  'POST /api/v1/orgs/:orgId/widgets': ref('Widget'),
  'GET /api/v1/orgs/:orgId/widgets/needs-attention': {
    type: 'object',
    properties: { items: { type: 'array', items: { allOf: [ref('Widget'), object({ reason: { type: 'string', enum: ['no-secret', 'overdue'] } })] } } },
  },
  'GET /api/v1/orgs/:orgId/widgets/:widgetId': ref('Widget'),
  'PATCH /api/v1/orgs/:orgId/widgets/:widgetId': ref('Widget'),
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/archive': ref('Widget'),
  'GET /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions': list('SecretVersion'),
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions': ref('SecretVersion'),
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version/activate': ref('SecretVersion'),
  'DELETE /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version': ref('SecretVersion'),
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version/reveal': ref('RevealedSecret'),
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/test-user-hash': ref('TestUserHash'),
  'POST /api/v1/orgs/:orgId/imports': ref('ImportReport'),
  'GET /api/v1/orgs/:orgId/imports/inventory.csv': { type: 'string', description: 'CSV (text/csv): the import\'s columns, one live widget a line, the secret column empty.' },
  'GET /api/v1/orgs/:orgId/api-keys': page('ApiKey'),
  'POST /api/v1/orgs/:orgId/api-keys': object({ apiKey: ref('ApiKey'), key: { type: 'string', pattern: '^kr_[0-9A-Za-z]{49}$', description: 'Shown this once; Keyring keeps only its hash.' } }),
  'DELETE /api/v1/orgs/:orgId/api-keys/:keyId': ref('ApiKey'),
  'GET /api/v1/orgs/:orgId/usage': ref('Usage'),
  'GET /api/v1/orgs/:orgId/audit-events': page('AuditEvent'),
  'GET /api/v1/orgs/:orgId/audit-events/verify': ref('AuditVerification'),
  'POST /api/v1/orgs/:orgId/audit-events/verify': ref('AuditVerification'),
  'POST /api/v1/orgs/:orgId/audit-events/verify/full': ref('AuditFullVerification'),
  'GET /api/v1/orgs/:orgId/audit-events/checkpoint': ref('AuditCheckpoint'),
  'GET /.well-known/keyring-audit-keys.json': ref('AuditKeySet'),
  'GET /api/v1/orgs/:orgId/audit-events/export': { type: 'string', description: 'CSV (text/csv) or NDJSON (application/x-ndjson), oldest event first.' },
};
