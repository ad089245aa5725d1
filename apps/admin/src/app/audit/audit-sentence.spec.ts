import { AUDIT_ACTIONS, type AuditEvent } from '@keyring/contracts';
import { auditSentence, groupRuns, type AuditNames } from './audit-sentence';

const WIDGET = '1a67557a-0000-4000-8000-000000000001';
const TENANT = '1a67557a-0000-4000-8000-000000000002';
const names: AuditNames = {
  orgId: 'org-1',
  widgets: new Map([[WIDGET, { name: 'acmedental.com main site', tenantId: TENANT }]]),
  tenants: new Map([[TENANT, 'Acme Dental']]),
};

function event(action: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq: 1,
    occurredAt: '2026-11-29T10:00:00.000Z',
    actor: { type: 'user', id: 'u1', label: 'ana@agency.example' },
    action,
    target: { type: 'widget', id: WIDGET },
    tenantId: TENANT,
    ip: null,
    userAgent: null,
    requestId: null,
    outcome: 'success',
    details: { version: 3, replacedVersion: 2, email: 'bo@agency.example', role: 'operator', name: 'Backend', from: { role: 'auditor', tenantIds: null }, to: { role: 'operator', tenantIds: [TENANT] } },
    ...overrides,
  };
}
const plain = (e: AuditEvent) => auditSentence(e, names).map((part) => part.text).join('');

describe('the audit log in sentences', () => {
  it('names the person, the widget with its tenant, and the version, with the widget linked', () => {
    const parts = auditSentence(event('secret.rotated'), names);
    expect(parts.map((part) => part.text).join('')).toBe('ana@agency.example rotated the secret of acmedental.com main site (Acme Dental) to v3');
    expect(parts.find((part) => part.link)).toEqual({ text: 'acmedental.com main site', link: ['/orgs', 'org-1', 'widgets', WIDGET] });
  });

  it("links a tenant's name to its client page", () => {
    const links = auditSentence(event('secret.rotated'), names).filter((part) => part.link);
    expect(links[1]).toEqual({ text: 'Acme Dental', link: ['/orgs', 'org-1', 'tenants', TENANT] });
    const beyondLoadedTenants = { ...names, tenants: new Map(), widgets: new Map([[WIDGET, { name: 'acmedental.com main site', tenantId: TENANT, tenantName: 'Acme Dental' }]]) };
    expect(auditSentence(event('secret.rotated'), beyondLoadedTenants).filter((part) => part.link)[1]).toEqual(links[1]);
    const archived = auditSentence(event('tenant.archived', { target: { type: 'tenant', id: TENANT } }), names);
    expect(archived.find((part) => part.link)).toEqual({ text: 'Acme Dental', link: ['/orgs', 'org-1', 'tenants', TENANT] });
  });

  it('says who saw the secret when a widget is queued for rotation', () => {
    expect(plain(event('widget.rotation_requested'))).toBe('ana@agency.example queued acmedental.com main site (Acme Dental) for rotation: bo@agency.example saw its secret');
    expect(plain(event('member.offboarding_rotation_requested', { details: { email: 'bo@agency.example', widgetsQueued: 2 } }))).toBe(
      'ana@agency.example queued 2 widgets for rotation after offboarding bo@agency.example',
    );
  });

  // The API's AuditWriter takes only AUDIT_ACTIONS; this is the other half: each has words, without codes or holes.
  it.each(AUDIT_ACTIONS)('has a sentence for %s', (action) => {
    const sentence = plain(event(action));
    expect(sentence).not.toContain(action);
    expect(sentence).not.toMatch(/undefined|null|\[object/);
    expect(sentence).not.toContain(WIDGET);
  });

  it('keeps the code of an action it does not know rather than hiding the event', () => {
    expect(plain(event('future.thing'))).toBe('ana@agency.example: future.thing');
  });

  it('says in words what a wrong password or code was given for', () => {
    const failed = (details: Record<string, unknown>) => plain(event('auth.reauthentication_failed', { outcome: 'failure', details }));
    expect(failed({ purpose: 'secret-reveal', factor: 'password' })).toBe('ana@agency.example gave a wrong password to reveal a secret');
    expect(failed({ purpose: 'totp-disable', factor: 'totp' })).toBe('ana@agency.example gave a wrong code to turn off two-factor sign-in');
    expect(failed({ purpose: 'later-purpose', factor: 'password' })).toBe('ana@agency.example gave a wrong password to later-purpose');
  });

  it('says who a system or API-key actor is', () => {
    expect(plain(event('widget.archived', { actor: { type: 'api_key', id: 'k', label: 'kr_ab12' } }))).toMatch(/^API key kr_ab12 archived/);
  });

  it('folds repeated events into one line with a count for the dashboard', () => {
    const runs = groupRuns([event('auth.login_succeeded'), event('auth.login_succeeded'), event('secret.rotated'), event('auth.login_succeeded')]);
    expect(runs.map((run) => [run.event.action, run.count])).toEqual([
      ['auth.login_succeeded', 2],
      ['secret.rotated', 1],
      ['auth.login_succeeded', 1],
    ]);
  });
});
