import { isDeepStrictEqual } from 'node:util';
import { createWidget } from '../custody-fixtures';
import { addMember, completeSetup, type Session } from '../identity-fixtures';
import { startTestApp, type TestApp } from '../test-app';
import { routesOf } from '../route-list';

/**
 * Every route × every kind of caller → the status they must get. One row per route; the route list is read from
 * the running app, so a new route without a row fails this test, and so does a row whose route is gone.
 *
 * Callers, in column order:
 *   anon     nobody signed in, no key          owner, admin, operator, auditor   members of organization A
 *   scoped   operator of A limited to tenant B  scopedAdmin, scopedAuditor   admin and auditor of A limited to tenant B
 *   other    member of organization B only
 *   key      valid API key of tenant A (both scopes)     revoked, expired   keys of tenant A    keyB   key of tenant B
 *
 * Requests target organization A, tenant A and its widget. Ids that would let an allowed caller change something
 * for good are replaced by unknown ones (404) and bodies are invalid (400), so every call leaves the data as it was
 * and the status says only whether the caller got past authorization. Every answer a caller limited to tenant B
 * gets with a 2xx must hold nothing of tenant A (its id, its widget's id).
 *
 * One row per route, then rows for a route called in another way (`<route> [what]`): aiming at tenant A through
 * filters, and acting on an archived tenant or widget.
 */
const CALLERS = ['anon', 'owner', 'admin', 'operator', 'auditor', 'scoped', 'scopedAdmin', 'scopedAuditor', 'other', 'key', 'revoked', 'expired', 'keyB'] as const;
type Caller = (typeof CALLERS)[number];
const LIMITED_TO_B: readonly Caller[] = ['scoped', 'scopedAdmin', 'scopedAuditor'];

interface Row {
  expected: string;
  /** Path parameters other than the defaults (organization A, tenant A, widget A); `@name` is a fixture's id. */
  params?: Record<string, string>;
  /** Query string; `@name` is a fixture's id. */
  query?: string;
  body?: unknown;
  /** What a caller limited to tenant B must get in a 2xx body (beyond holding nothing of tenant A). */
  limitedSees?: object;
}

const MISSING = '00000000-0000-4000-8000-000000000000';

//                                                                     anon own adm ope aud sco sad sau oth key rev exp keyB
const MATRIX: Record<string, Row> = {
  'GET /healthz': { expected: '                                        200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /readyz': { expected: '                                         200 200 200 200 200 200 200 200 200 200 200 200 200' },
  // Served on their own port (KEYRING_METRICS_PORT); here only with KEYRING_METRICS_TOKEN, unset in this app.
  'GET /metrics': { expected: '                                        404 404 404 404 404 404 404 404 404 404 404 404 404' },
  'GET /api/docs': { expected: '                                       200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /api/docs/': { expected: '                                      200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /api/docs/index.html': { expected: '                            200 200 200 200 200 200 200 200 200 200 200 200 200' },
  // @nestjs/swagger declares this route to hide swagger-ui-dist's LICENSE file.
  'GET /api/docs/LICENSE': { expected: '                               404 404 404 404 404 404 404 404 404 404 404 404 404' },
  'GET /api/docs/swagger-ui-init.js': { expected: '                    200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /api/docs/docs/swagger-ui-init.js': { expected: '               200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /api/docs/openapi.json': { expected: '                          200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /api/docs/openapi.yaml': { expected: '                          200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /api/v1/setup': { expected: '                                   200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'POST /api/v1/setup': { expected: '                                  400 400 400 400 400 400 400 400 400 400 400 400 400' },
  'POST /api/v1/auth/login': { expected: '                             400 400 400 400 400 400 400 400 400 400 400 400 400' },
  'POST /api/v1/invitations/accept': { expected: '                     400 400 400 400 400 400 400 400 400 400 400 400 400' },
  'POST /api/v1/invitations/preview': { expected: '                    400 400 400 400 400 400 400 400 400 400 400 400 400' },
  'GET /api/v1/auth/me': { expected: '                                 401 200 200 200 200 200 200 200 200 401 401 401 401' },
  'POST /api/v1/auth/password': { expected: '                          401 400 400 400 400 400 400 400 400 401 401 401 401' },
  'POST /api/v1/auth/totp/enrol': { expected: '                        401 200 200 200 200 200 200 200 200 401 401 401 401' },
  'POST /api/v1/auth/totp/confirm': { expected: '                      401 400 400 400 400 400 400 400 400 401 401 401 401' },
  'POST /api/v1/auth/totp/disable': { expected: '                      401 400 400 400 400 400 400 400 400 401 401 401 401' },
  'GET /api/v1/orgs': { expected: '                                    401 200 200 200 200 200 200 200 200 401 401 401 401' },
  'POST /api/v1/orgs': { expected: '                                   401 400 400 400 400 400 400 400 400 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/members': { expected: '                     401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/members/invitations': { expected: '        401 400 403 403 403 403 403 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/members/invitations': { expected: '         401 200 403 403 403 403 403 403 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/members/invitations/:invitationId/resend': { expected: '  401 404 403 403 403 403 403 403 404 401 401 401 401', params: { invitationId: MISSING } },
  'DELETE /api/v1/orgs/:orgId/members/invitations/:invitationId': { expected: '       401 404 403 403 403 403 403 403 404 401 401 401 401', params: { invitationId: MISSING } },
  'PATCH /api/v1/orgs/:orgId/members/:userId': { expected: '           401 400 403 403 403 403 403 403 404 401 401 401 401', body: { role: 'nobody' } },
  'DELETE /api/v1/orgs/:orgId/members/:userId': { expected: '          401 404 403 403 403 403 403 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/members/former': { expected: '              401 200 200 403 200 403 200 200 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/members/:userId/offboarding': { expected: '  401 404 404 403 404 403 404 404 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/members/:userId/offboarding/rotation-requests': { expected: '  401 404 404 403 403 403 404 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/settings': { expected: '                    401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'PATCH /api/v1/orgs/:orgId/settings': { expected: '                  401 400 403 403 403 403 403 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/overview': { expected: '                    401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/tenants': { expected: '                     401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/tenants': { expected: '                    401 400 400 400 403 400 400 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/tenants/:tenantId': { expected: '           401 200 200 200 200 404 404 404 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/tenants/:tenantId/summary': { expected: '   401 200 200 200 200 404 404 404 404 401 401 401 401' },
  'PATCH /api/v1/orgs/:orgId/tenants/:tenantId': { expected: '         401 400 400 400 403 400 400 403 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/tenants/:tenantId/archive': { expected: '  401 404 404 404 403 404 404 403 404 401 401 401 401', params: { tenantId: MISSING } },
  'POST /api/v1/orgs/:orgId/tenants/:tenantId/unarchive': { expected: '401 404 404 404 403 404 404 403 404 401 401 401 401', params: { tenantId: MISSING } },
  'GET /api/v1/orgs/:orgId/widgets': { expected: '                     401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/widgets': { expected: '                    401 400 400 400 403 400 400 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/widgets/needs-attention': { expected: '     401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/widgets/:widgetId': { expected: '           401 200 200 200 200 404 404 404 404 401 401 401 401' },
  'PATCH /api/v1/orgs/:orgId/widgets/:widgetId': { expected: '         401 400 400 400 403 400 400 403 404 401 401 401 401', body: { name: '' } },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/archive': { expected: '  401 404 404 404 403 404 404 403 404 401 401 401 401', params: { widgetId: MISSING } },
  'GET /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions': { expected: '                     401 200 200 200 200 404 404 404 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions': { expected: '                    401 400 400 400 403 400 400 403 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version/activate': { expected: '  401 404 404 404 403 404 404 403 404 401 401 401 401', params: { version: '99' } },
  'DELETE /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version': { expected: '         401 404 404 403 403 403 404 403 404 401 401 401 401', params: { version: '99' } },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version/reveal': { expected: '    401 400 400 403 403 403 400 403 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/test-user-hash': { expected: '                     401 400 400 400 403 400 400 403 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/imports': { expected: '                    401 400 400 400 403 400 400 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/imports/inventory.csv': { expected: '       401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/api-keys': { expected: '                    401 200 200 200 200 200 200 200 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/api-keys': { expected: '                   401 400 400 400 403 400 400 403 404 401 401 401 401' },
  'DELETE /api/v1/orgs/:orgId/api-keys/:keyId': { expected: '          401 404 404 404 403 404 404 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/usage': { expected: '                       401 200 200 200 200 200 200 200 404 401 401 401 401' },
  // Webhooks carry every tenant's events: members limited to some tenants get 403 whatever their role.
  'GET /api/v1/orgs/:orgId/webhooks': { expected: '                    401 200 200 403 200 403 403 403 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/webhooks': { expected: '                   401 400 400 403 403 403 400 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/webhooks/:webhookId': { expected: '         401 404 404 403 404 403 403 403 404 401 401 401 401', params: { webhookId: MISSING } },
  'PATCH /api/v1/orgs/:orgId/webhooks/:webhookId': { expected: '       401 400 400 403 403 403 400 403 404 401 401 401 401', params: { webhookId: MISSING }, body: { url: '' } },
  'DELETE /api/v1/orgs/:orgId/webhooks/:webhookId': { expected: '      401 404 404 403 403 403 403 403 404 401 401 401 401', params: { webhookId: MISSING } },
  'POST /api/v1/orgs/:orgId/webhooks/:webhookId/rotate-secret': { expected: '                     401 404 404 403 403 403 403 403 404 401 401 401 401', params: { webhookId: MISSING } },
  'GET /api/v1/orgs/:orgId/webhooks/:webhookId/deliveries': { expected: '                        401 404 404 403 404 403 403 403 404 401 401 401 401', params: { webhookId: MISSING } },
  'POST /api/v1/orgs/:orgId/webhooks/:webhookId/test': { expected: '                            401 404 404 403 403 403 403 403 404 401 401 401 401', params: { webhookId: MISSING } },
  'POST /api/v1/orgs/:orgId/webhooks/:webhookId/deliveries/:deliveryId/redeliver': { expected: '401 404 404 403 403 403 403 403 404 401 401 401 401', params: { webhookId: MISSING, deliveryId: MISSING } },
  'GET /api/v1/orgs/:orgId/audit-events': { expected: '                401 200 200 403 200 403 200 200 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/audit-events/verify': { expected: '         401 200 200 403 200 403 200 200 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/audit-events/verify': { expected: '        401 400 400 403 400 403 400 400 404 401 401 401 401' },
  'POST /api/v1/orgs/:orgId/audit-events/verify/full': { expected: '   401 202 202 403 202 403 202 202 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/audit-events/checkpoint': { expected: '     401 200 200 403 200 403 403 403 404 401 401 401 401' },
  'GET /.well-known/keyring-audit-keys.json': { expected: '            200 200 200 200 200 200 200 200 200 200 200 200 200' },
  'GET /api/v1/orgs/:orgId/audit-events/export': { expected: '         401 400 400 403 400 403 400 400 404 401 401 401 401' },
  // A stream copies the whole organization's log: members limited to some tenants get 403 whatever their role.
  'POST /api/v1/orgs/:orgId/audit-streams': { expected: '               401 400 400 403 403 403 403 403 404 401 401 401 401', body: { kind: 'syslog', url: 'not a url' } },
  'GET /api/v1/orgs/:orgId/audit-streams': { expected: '                401 200 200 403 200 403 403 403 404 401 401 401 401' },
  'GET /api/v1/orgs/:orgId/audit-streams/:streamId': { expected: '      401 404 404 403 404 403 403 403 404 401 401 401 401', params: { streamId: MISSING } },
  'DELETE /api/v1/orgs/:orgId/audit-streams/:streamId': { expected: '   401 404 404 403 403 403 403 403 404 401 401 401 401', params: { streamId: MISSING } },
  'POST /api/v1/widgets/:widgetId/user-hash': { expected: '            401 401 401 401 401 401 401 401 401 200 401 401 404', body: { userIdentifier: 'visitor' } },
  'POST /api/v1/widgets/:widgetId/user-hash/batch': { expected: '      401 401 401 401 401 401 401 401 401 200 401 401 404', body: { userIdentifiers: ['visitor'] } },
  'POST /api/v1/widgets/:widgetId/user-hash/verify': { expected: '     401 401 401 401 401 401 401 401 401 200 401 401 404', body: { userHash: 'x' } },
  // Aimed at tenant A by filter: a caller limited to tenant B gets an empty answer.
  'GET /api/v1/orgs/:orgId/audit-events [tenant A]': { expected: '                401 200 200 403 200 403 200 200 404 401 401 401 401', query: 'tenantId=@tenantId', limitedSees: { items: [] } },
  'GET /api/v1/orgs/:orgId/audit-events [widget A]': { expected: '                401 200 200 403 200 403 200 200 404 401 401 401 401', query: 'targetId=@widgetId', limitedSees: { items: [] } },
  'GET /api/v1/orgs/:orgId/audit-events/export [tenant A]': { expected: '         401 200 200 403 200 403 200 200 404 401 401 401 401', query: 'format=ndjson&tenantId=@tenantId' },
  'GET /api/v1/orgs/:orgId/usage [widget A]': { expected: '                       401 200 200 200 200 200 200 200 404 401 401 401 401', query: 'widgetId=@widgetId', limitedSees: { items: [] } },
  'GET /api/v1/orgs/:orgId/usage [tenant A]': { expected: '                       401 200 200 200 200 200 200 200 404 401 401 401 401', query: 'tenantId=@tenantId', limitedSees: { items: [] } },
  'GET /api/v1/orgs/:orgId/api-keys [tenant A]': { expected: '                    401 200 200 200 200 200 200 200 404 401 401 401 401', query: 'tenantId=@tenantId', limitedSees: { items: [] } },
  'GET /api/v1/orgs/:orgId/members [tenant A]': { expected: '                     401 200 200 200 200 200 200 200 404 401 401 401 401', query: 'tenantId=@tenantId', limitedSees: { items: [] } },
  // The owner stored tenant A's secrets and created its keys: a reader limited to tenant B sees none of it.
  'GET /api/v1/orgs/:orgId/members/:userId/offboarding [the owner]': { expected: '  401 200 200 403 200 403 200 200 404 401 401 401 401', params: { userId: '@ownerId' } },
  'GET /api/v1/orgs/:orgId/overview [counts]': { expected: '                      401 200 200 200 200 200 200 200 404 401 401 401 401', limitedSees: { tenants: 1, widgets: 1, activeApiKeys: 1 } },
  // An archived tenant (Z, out of tenant B) and an archived widget of tenant A: refused (409), whatever the body.
  'PATCH /api/v1/orgs/:orgId/tenants/:tenantId [archived tenant]': { expected: '  401 409 409 409 403 404 404 403 404 401 401 401 401', params: { tenantId: '@archivedTenantId' }, body: { name: 'Back again' } },
  'POST /api/v1/orgs/:orgId/widgets [archived tenant]': { expected: '             401 409 409 409 403 404 404 403 404 401 401 401 401', body: { tenantId: '@archivedTenantId', name: 'New site' } },
  'POST /api/v1/orgs/:orgId/api-keys [archived tenant]': { expected: '            401 409 409 409 403 404 404 403 404 401 401 401 401', body: { tenantId: '@archivedTenantId', name: 'New key', scopes: ['user-hash:issue'] } },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions [archived tenant]': { expected: '  401 409 409 409 403 404 404 403 404 401 401 401 401', params: { widgetId: '@archivedTenantWidgetId' }, body: { secret: 'matrix-secret-rotated' } },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/test-user-hash [archived tenant]': { expected: '   401 409 409 409 403 404 404 403 404 401 401 401 401', params: { widgetId: '@archivedTenantWidgetId' }, body: { userIdentifier: 'visitor' } },
  'PATCH /api/v1/orgs/:orgId/widgets/:widgetId [archived widget]': { expected: '  401 409 409 409 403 404 404 403 404 401 401 401 401', params: { widgetId: '@archivedWidgetId' }, body: { name: 'Renamed' } },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions [archived widget]': { expected: '  401 409 409 409 403 404 404 403 404 401 401 401 401', params: { widgetId: '@archivedWidgetId' }, body: { secret: 'matrix-secret-rotated' } },
  'POST /api/v1/orgs/:orgId/widgets/:widgetId/test-user-hash [archived widget]': { expected: '   401 409 409 409 403 404 404 403 404 401 401 401 401', params: { widgetId: '@archivedWidgetId' }, body: { userIdentifier: 'visitor' } },
  'POST /api/v1/widgets/:widgetId/user-hash [archived widget]': { expected: '     401 401 401 401 401 401 401 401 401 404 401 401 404', params: { widgetId: '@archivedWidgetId' }, body: { userIdentifier: 'visitor' } },
  // Catch-alls (Nest's 404 under the prefix and beside the excluded paths, so that the console's SPA fallback never
  // answers there), tried with a method no route declares.
  'ALL /api/v1': { expected: '                                         404 404 404 404 404 404 404 404 404 404 404 404 404' },
  'ALL /api/v1/{*path}': { expected: '                                 404 404 404 404 404 404 404 404 404 404 404 404 404', params: { path: 'no/such/route' } },
  'ALL /healthz': { expected: '                                        404 404 404 404 404 404 404 404 404 404 404 404 404' },
  'ALL /readyz': { expected: '                                         404 404 404 404 404 404 404 404 404 404 404 404 404' },
  'ALL /metrics': { expected: '                                        404 404 404 404 404 404 404 404 404 404 404 404 404' },
  'ALL /metrics/': { expected: '                                       404 404 404 404 404 404 404 404 404 404 404 404 404' },
  'ALL /.well-known/keyring-audit-keys.json': { expected: '            404 404 404 404 404 404 404 404 404 404 404 404 404' },
  // Last, since it ends each caller's session.
  'POST /api/v1/auth/logout': { expected: '                            401 204 204 204 204 204 204 204 204 401 401 401 401' },
};

describe('authorization matrix: every route × every kind of caller (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  const headers = new Map<Caller, Record<string, string>>();
  const defaults: Record<string, string> = {};
  const fixtures: Record<string, string> = {};
  /** `@name` → the fixture's id, at any depth of a body. */
  const resolve = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null).replace(/"@(\w+)"/g, (_, name: string) => JSON.stringify(fixtures[name])));

  beforeAll(async () => {
    keyring = await startTestApp();
    const setup = await completeSetup(keyring);
    const owner = setup.owner;
    const orgA = setup.organizationId;
    const { tenantId, widgetId } = await createWidget(owner, orgA, { tenantName: 'Tenant A', secret: 'matrix-secret-of-widget-a' });
    const { tenantId: tenantB } = await createWidget(owner, orgA, { tenantName: 'Tenant B', secret: 'matrix-secret-of-widget-b' });
    const archivedTenant = await createWidget(owner, orgA, { tenantName: 'Tenant Z', secret: 'matrix-secret-of-widget-z' });
    await owner.request('POST', `/api/v1/orgs/${orgA}/tenants/${archivedTenant.tenantId}/archive`);
    const { widgetId: archivedWidgetId } = await createWidget(owner, orgA, { tenantId, widgetName: 'Archived site', secret: 'matrix-secret-archived' });
    await owner.request('POST', `/api/v1/orgs/${orgA}/widgets/${archivedWidgetId}/archive`);
    const orgB = (await owner.request('POST', '/api/v1/orgs', { body: { name: 'Organization B' } })).body.id;
    // Not a caller: a member limited to tenant A, through whom the members list must not reveal A's id.
    await addMember(keyring, owner, orgA, 'member-of-a@agency.example', 'operator', [tenantId]);
    const sessions: Partial<Record<Caller, Session>> = {
      owner,
      admin: await addMember(keyring, owner, orgA, 'admin@agency.example', 'admin'),
      operator: await addMember(keyring, owner, orgA, 'operator@agency.example', 'operator'),
      auditor: await addMember(keyring, owner, orgA, 'auditor@agency.example', 'auditor'),
      scoped: await addMember(keyring, owner, orgA, 'scoped@agency.example', 'operator', [tenantB]),
      scopedAdmin: await addMember(keyring, owner, orgA, 'scoped-admin@agency.example', 'admin', [tenantB]),
      scopedAuditor: await addMember(keyring, owner, orgA, 'scoped-auditor@agency.example', 'auditor', [tenantB]),
      other: await addMember(keyring, owner, orgB, 'other@elsewhere.example', 'owner'),
    };
    for (const [caller, session] of Object.entries(sessions)) headers.set(caller as Caller, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    const key = async (name: string, tenant: string) =>
      (await owner.request('POST', `/api/v1/orgs/${orgA}/api-keys`, { body: { name, tenantId: tenant, scopes: ['user-hash:issue', 'user-hash:verify'] } })).body;
    const valid = await key('valid', tenantId);
    const revoked = await key('revoked', tenantId);
    await owner.request('DELETE', `/api/v1/orgs/${orgA}/api-keys/${revoked.apiKey.id}`);
    const expired = await key('expired', tenantId);
    await keyring.db.query("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired.apiKey.id]);
    const other = await key('tenant B', tenantB);
    headers.set('anon', {});
    for (const [caller, created] of [['key', valid], ['revoked', revoked], ['expired', expired], ['keyB', other]] as const) {
      headers.set(caller, { authorization: `Bearer ${created.key}` });
    }
    Object.assign(defaults, { orgId: orgA, tenantId, widgetId, version: '1', userId: MISSING, keyId: MISSING });
    Object.assign(fixtures, { ownerId: owner.userId, tenantId, widgetId, archivedTenantId: archivedTenant.tenantId, archivedTenantWidgetId: archivedTenant.widgetId, archivedWidgetId });
  });
  afterAll(() => keyring.close());

  it('has exactly one row per route of the app', () => {
    const routes = routesOf(keyring.app);
    const routeOf = (row: string) => row.split(' ').slice(0, 2).join(' ');
    expect({ withoutRow: routes.filter((route) => !(route in MATRIX)), withoutRoute: Object.keys(MATRIX).filter((row) => !routes.includes(routeOf(row))) }).toEqual({
      withoutRow: [],
      withoutRoute: [],
    });
  });

  // Over 1,200 requests one after the other: more than the default 30 s on a busy machine.
  it('gives every caller exactly the status of the table, on every route', async () => {
    const unexpected: string[] = [];
    let calls = 0;
    for (const [route, row] of Object.entries(MATRIX)) {
      const [declared, pattern] = route.split(' ');
      const method = declared === 'ALL' ? 'PUT' : declared;
      const params = resolve(row.params ?? {});
      const path = pattern.replace(/\{\*(\w+)\}|:(\w+)/g, (_, rest?: string, name?: string) => params[(rest ?? name)!] ?? defaults[name!]);
      const query = row.query ? `?${row.query.replace(/@(\w+)/g, (_, name: string) => fixtures[name])}` : '';
      const statuses = row.expected.trim().split(/\s+/).map(Number);
      for (const [index, caller] of CALLERS.entries()) {
        const response = await keyring.request(method, `${path}${query}`, { headers: headers.get(caller), ...(['POST', 'PATCH'].includes(method) && { body: resolve(row.body ?? {}) }) });
        calls += 1;
        if (response.status !== statuses[index]) unexpected.push(`${route} as ${caller}: expected ${statuses[index]}, got ${response.status} ${response.body?.detail ?? ''}`);
        if (response.status >= 400 && !response.headers.get('content-type')?.includes('application/problem+json')) unexpected.push(`${route} as ${caller}: ${response.status} is not problem+json`);
        if (LIMITED_TO_B.includes(caller) && response.status < 300) {
          const leaked = [fixtures['tenantId'], fixtures['widgetId']].filter((id) => response.text.includes(id));
          if (leaked.length > 0) unexpected.push(`${route} as ${caller}: the answer holds tenant A's ${leaked.join(', ')}`);
          if (row.limitedSees && !isDeepStrictEqual({ ...response.body, ...row.limitedSees }, response.body)) {
            unexpected.push(`${route} as ${caller}: expected ${JSON.stringify(row.limitedSees)} in ${response.text.slice(0, 200)}`);
          }
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(calls).toBe(Object.keys(MATRIX).length * CALLERS.length);
    // Some 1,500 requests one after the other: more than the default 30 s on a loaded machine.
  }, 180_000);
});
