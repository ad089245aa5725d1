import type { AuditAction, AuditEvent } from '@keyring/contracts';

/** A piece of a sentence: plain words, or a name that links to its page. */
export interface SentencePart {
  text: string;
  link?: readonly string[];
}

/** The names the console knows, to say "acmedental.com main site (Acme Dental)" rather than an id. */
export interface AuditNames {
  orgId: string;
  widgets: ReadonlyMap<string, { name: string; tenantId: string; tenantName?: string }>;
  tenants: ReadonlyMap<string, string>;
}

interface Words {
  who: string;
  widget: SentencePart[];
  tenant: SentencePart[];
  details: Record<string, unknown>;
}

type Sentence = (words: Words) => (string | SentencePart[])[];

const v = (value: unknown) => `v${value}`;
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const count = (value: unknown) => (typeof value === 'number' ? `${value} ` : '');
const masterKey = (details: Record<string, unknown>) => (details['activeMasterKeyId'] ? `master key ${text(details['activeMasterKeyId'])}` : 'the active master key');
/** "role, limited to 2 tenants" from a member's role and tenant list. */
const access = (value: unknown) => {
  const { role, tenantIds } = (value ?? {}) as { role?: string; tenantIds?: string[] | null };
  return tenantIds ? `${role}, limited to ${tenantIds.length} ${tenantIds.length === 1 ? 'tenant' : 'tenants'}` : `${role}`;
};

/** What a password or code was asked for (the API's `purpose`), as words; an unknown purpose is shown as sent. */
const REAUTHENTICATION_PURPOSES: Record<string, string> = {
  'secret-reveal': 'reveal a secret',
  'password-change': 'change the password',
  'totp-confirm': 'turn on two-factor sign-in',
  'totp-disable': 'turn off two-factor sign-in',
  'invitation-accept': 'accept an invitation',
};
const purpose = (value: unknown) => REAUTHENTICATION_PURPOSES[text(value)] ?? text(value);

/** One sentence per action; a `Record` over every action, so a new action without words does not compile. */
const SENTENCES: Record<AuditAction, Sentence> = {
  'secret.rotated': ({ who, widget, details }) => [who, ' rotated the secret of ', widget, ` to ${v(details['version'])}`],
  'secret.rolled_back': ({ who, widget, details }) => [who, ' rolled ', widget, ` back to ${v(details['version'])} (from ${v(details['replacedVersion'])})`],
  'secret.revealed': ({ who, widget, details }) => [who, ` revealed ${v(details['version'])} of the secret of `, widget, details['reason'] ? `: “${text(details['reason'])}”` : ''],
  'secret.destroyed': ({ who, widget, details }) => [who, ` destroyed ${v(details['version'])} of the secret of `, widget],
  'secret.rotation_due': ({ widget, details }) => ['The secret of ', widget, ` is due for rotation (${v(details['version'])} is older than ${count(details['rotationMaxAgeDays'])}days)`],
  'user_hash.tested': ({ who, widget }) => [who, ' signed a test userHash with ', widget],
  'widget.created': ({ who, widget }) => [who, ' created the widget ', widget],
  'widget.updated': ({ who, widget }) => [who, ' changed the widget ', widget],
  'widget.archived': ({ who, widget }) => [who, ' archived the widget ', widget],
  'widget.rotation_requested': ({ who, widget, details }) => [who, ' queued ', widget, ` for rotation: ${text(details['email']) || 'a member'} saw its secret`],
  'tenant.created': ({ who, tenant }) => [who, ' created the tenant ', tenant],
  'import.applied': ({ who, details }) => [
    who,
    ` imported ${count(details['rows'])}rows: ${count(details['tenantsCreated'])}new tenants, ${count(details['widgetsCreated'])}new widgets, ${count(details['secretsImported'])}secrets`,
  ],
  'tenant.updated': ({ who, tenant }) => [who, ' renamed the tenant ', tenant],
  'tenant.archived': ({ who, tenant }) => [who, ' archived the tenant ', tenant],
  'tenant.unarchived': ({ who, tenant }) => [who, ' brought the tenant ', tenant, ' back from the archive'],
  'api_key.created': ({ who, details }) => [who, ` created the API key “${text(details['name'])}”`],
  'api_key.revoked': ({ who, details }) => [who, ` revoked the API key “${text(details['name'])}”`],
  'api_key.expiring': ({ details }) => [`The API key “${text(details['name'])}” expires on ${text(details['expiresAt']).slice(0, 10)}`],
  'webhook.created': ({ who, details }) => [who, ` added a webhook to ${text(details['origin'])}`],
  'webhook.updated': ({ who, details }) => [who, ` changed the webhook to ${text(details['origin'])}`],
  'webhook.deleted': ({ who, details }) => [who, ` deleted the webhook to ${text(details['origin'])}`],
  'webhook.secret_rotated': ({ who, details }) => [who, ` rotated the signing secret of the webhook to ${text(details['origin'])}`],
  'webhook.disabled': ({ details }) => [`Keyring turned off the webhook to ${text(details['origin'])}: ${text(details['reason'])}`],
  'member.invited': ({ who, details }) => [who, ` invited ${text(details['email'])} as ${access(details)}`],
  'member.invitation_resent': ({ who, details }) => [who, ` sent a new invitation link to ${text(details['email'])}`],
  'member.invitation_revoked': ({ who, details }) => [who, ` revoked the invitation of ${text(details['email'])}`],
  'member.joined': ({ details }) => [`${text(details['email'])} joined as ${text(details['role'])}`],
  'member.updated': ({ who, details }) => [who, ` changed ${text(details['email'])} from ${access(details['from'])} to ${access(details['to'])}`],
  'member.removed': ({ who, details }) => [who, ` removed ${text(details['email'])} (${text(details['role'])})`],
  'member.offboarding_rotation_requested': ({ who, details }) => {
    const queued = typeof details['widgetsQueued'] === 'number' ? details['widgetsQueued'] : 0;
    return [who, ` queued ${queued} ${queued === 1 ? 'widget' : 'widgets'} for rotation after offboarding ${text(details['email'])}`];
  },
  'auth.login_succeeded': ({ who }) => [who, ' signed in'],
  'auth.login_failed': ({ details }) => [`A sign-in as ${text(details['email'])} failed`],
  'auth.logged_out': ({ who }) => [who, ' signed out'],
  'auth.password_changed': ({ who }) => [who, ' changed their password'],
  'auth.reauthentication_failed': ({ who, details }) => [who, ` gave a wrong ${details['factor'] === 'totp' ? 'code' : 'password'} to ${purpose(details['purpose'])}`],
  'auth.totp_enabled': ({ who }) => [who, ' turned on two-factor sign-in'],
  'auth.totp_disabled': ({ who }) => [who, ' turned off two-factor sign-in'],
  'auth.recovery_code_used': ({ who }) => [who, ' signed in with a recovery code'],
  'setup.completed': ({ details }) => [`Keyring was set up: ${text(details['ownerEmail'])} owns ${text(details['organizationName'])}`],
  'organization.created': ({ who, details }) => [who, ` created the organization ${text(details['name'])}`],
  'settings.updated': ({ who, details }) => {
    const change = details['rotationMaxAgeDays'] as { from?: number; to?: number } | undefined;
    return [who, change ? ` set the rotation policy from ${change.from} to ${change.to} days` : ' changed the settings'];
  },
  'master_key.rewrap_started': ({ details }) => [`Keyring started moving ${count(details['versionsToRewrap'])}secrets onto ${masterKey(details)}`],
  'master_key.rewrap_completed': ({ details }) => [`Keyring moved ${count(details['versionsRewrapped'])}secrets onto ${masterKey(details)}`],
  'master_key.rewrap_stopped': ({ details }) => [
    `Keyring stopped moving secrets onto ${masterKey(details)}: ${count(details['valuesRemaining'])}still under an older key`,
  ],
  // `url` in events written before only the origin was kept.
  'audit_stream.created': ({ who, details }) => [who, ` started streaming the audit log to ${text(details['origin'] ?? details['url'])} (${text(details['kind'])})`],
  'audit_stream.deleted': ({ who, details }) => [who, ` stopped streaming the audit log to ${text(details['origin'] ?? details['url'])}`],
};

/** An action as a filter option: "Secret rolled back" for `secret.rolled_back`. */
export function actionLabel(action: AuditAction): string {
  const words = action.replace('auth.', 'account.').replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function actorName(actor: AuditEvent['actor']): string {
  if (actor.type === 'system') return 'Keyring';
  if (actor.type === 'api_key') return `API key ${actor.label ?? ''}`.trim();
  return actor.label ?? 'Someone';
}

/** The event as a sentence whose names link to their pages; an action this console does not know keeps its code. */
export function auditSentence(event: AuditEvent, names: AuditNames): SentencePart[] {
  const sentence = SENTENCES[event.action as AuditAction] as Sentence | undefined;
  const who = actorName(event.actor);
  if (!sentence) return [{ text: `${who}: ${event.action}` }];
  const words: Words = { who, widget: widgetName(event, names), tenant: tenantName(event, names), details: event.details };
  return sentence(words).flatMap((part) => (typeof part === 'string' ? (part ? [{ text: part }] : []) : part));
}

function widgetName(event: AuditEvent, names: AuditNames): SentencePart[] {
  const id = event.target.type === 'widget' ? event.target.id : null;
  const widget = id ? names.widgets.get(id) : undefined;
  const tenantId = widget?.tenantId ?? event.tenantId ?? '';
  // The widget carries its tenant's name: found even when the tenant is not among the names loaded.
  const tenant = names.tenants.get(tenantId) ?? widget?.tenantName;
  const name = widget?.name || text(event.details['name']) || 'a widget';
  const link = id ? ['/orgs', names.orgId, 'widgets', id] : undefined;
  return [{ text: name, link }, ...(tenant ? [{ text: ' (' }, { text: tenant, link: clientPage(names, tenantId) }, { text: ')' }] : [])];
}

function tenantName(event: AuditEvent, names: AuditNames): SentencePart[] {
  const id = event.target.type === 'tenant' ? event.target.id : null;
  const renamedTo = (event.details['to'] as { name?: string } | undefined)?.name;
  const name = (id && names.tenants.get(id)) || text(event.details['name']) || text(renamedTo) || 'a tenant';
  return [{ text: name, link: id ? clientPage(names, id) : undefined }];
}

/** A tenant's own page (the client page). */
const clientPage = (names: AuditNames, tenantId: string) => ['/orgs', names.orgId, 'tenants', tenantId];

/** Consecutive events of one actor doing one thing to one target, as one line with a count (the dashboard). */
export function groupRuns(events: readonly AuditEvent[]): { event: AuditEvent; count: number }[] {
  const runs: { event: AuditEvent; count: number }[] = [];
  for (const event of events) {
    const last = runs[runs.length - 1];
    const same = last && last.event.action === event.action && last.event.actor.id === event.actor.id && last.event.target.id === event.target.id;
    if (same) last.count += 1;
    else runs.push({ event, count: 1 });
  }
  return runs;
}
