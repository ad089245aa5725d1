import type { ApiKeyScope, Role } from './permissions';
import type { WebhookEventType } from './webhook-events';

/*
 * The JSON the console reads from the API, one type per resource. Dates are ISO 8601 strings.
 */

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** A page of widgets with how many the list holds in all: exact up to 10,000, then `totalExact` is false. */
export interface WidgetPage extends Page<Widget> {
  total: number;
  totalExact: boolean;
}

export interface Membership {
  organizationId: string;
  organizationName: string;
  role: Role;
}

export interface SessionView {
  user: { id: string; email: string; totpEnabled: boolean };
  memberships: Membership[];
  csrfToken: string;
}

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  widgetCount: number;
}

export type UserHashClaims = 'jti' | 'jti+iat' | 'jti+iat+exp';

export interface Widget {
  id: string;
  tenantId: string;
  tenantName: string;
  name: string;
  huggyWidgetUuid: string | null;
  huggyCompanyId: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  tokenPolicy: { claims: UserHashClaims; ttlSeconds: number | null };
  activeSecret: { version: number; fingerprint: string; activatedAt: string } | null;
  /** When the widget was queued for rotation (offboarding); null once a new secret is stored. */
  rotationRequestedAt: string | null;
}

export type SecretState = 'active' | 'previous' | 'retired' | 'destroyed';

export interface SecretVersion {
  version: number;
  state: SecretState;
  fingerprint: string;
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  destroyedAt: string | null;
  createdBy: { id: string; email: string } | null;
}

export interface RevealedSecret {
  version: number;
  fingerprint: string;
  secret: string;
}

export interface TestUserHash {
  userIdentifier: string;
  userHash: string;
  keyVersion: number;
  snippets: { huggyData: string; huggyLogin: string; huggyLogout: string };
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  tenantId: string;
  tenantName: string;
  scopes: ApiKeyScope[];
  widgetIds: string[] | null;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A tenant by id and name, where a list names the tenants of something else. */
export interface TenantRef {
  id: string;
  name: string;
}

export interface Member {
  userId: string;
  email: string;
  role: Role;
  tenantIds: string[] | null;
  /** `tenantIds` with their names, sorted by name; null for every tenant. */
  tenants: TenantRef[] | null;
  createdAt: string;
}

/** Someone removed from the organization, for their offboarding report. */
export interface FormerMember {
  userId: string;
  email: string;
  removedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  tenantIds: string[] | null;
  expiresAt: string;
}

/** An invitation not yet accepted, as its organization's owners see it. */
export interface PendingInvitation extends Invitation {
  createdAt: string;
  /** The email of who sent the current link. */
  invitedBy: string | null;
}

/** What an invitation link is for, shown to its holder before joining. */
export interface InvitationPreview {
  email: string;
  organizationName: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: string;
}

export interface AuditEvent {
  seq: number;
  occurredAt: string;
  actor: { type: 'user' | 'api_key' | 'system' | 'anonymous'; id: string | null; label: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  tenantId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** `denied`: the caller was refused (authorization), as the database allows. */
  outcome: 'success' | 'failure' | 'denied';
  details: Record<string, unknown>;
  prevHash: string;
  /** The audit key the event's MAC (`hash`) is under; null for an event written before the chain was keyed. */
  keyId: string | null;
  hash: string;
}

/** A full re-verification of a chain, run in the background: running while `finishedAt` is null. */
export interface AuditFullVerification {
  startedAt: string;
  finishedAt: string | null;
  valid: boolean | null;
  checkedEvents: number | null;
  firstBrokenSeq: number | null;
  reason: string | null;
}

export interface AuditVerification {
  /** Whether the chain holds up to `checkedEvents` (and matches the checkpoints given). */
  valid: boolean;
  checkedEvents: number;
  firstBrokenSeq?: number;
  reason?: string;
  /** Events beyond `checkedEvents`, left to the full verification then running. */
  pendingEvents?: number;
  fullVerification: AuditFullVerification | null;
}

export interface AuditCheckpoint {
  /** A compact JWS (EdDSA, Ed25519) of `{ organizationId, seq, hash, issuedAt }` at the newest event. */
  checkpoint: string;
  /** The checkpoint that sealed the events written before the chain was keyed (it adds `legacyDigest`); null if none. */
  legacySeal: string | null;
}

export const AUDIT_STREAM_KINDS = ['syslog', 'https'] as const;
export type AuditStreamKind = (typeof AUDIT_STREAM_KINDS)[number];

/**
 * A copy of the organization's audit chain sent to a receiver outside Keyring, every event from the stream's creation
 * on, in order: `syslog` (RFC 5424 over TCP or TLS, octet counting) to `tcp://host:port` or `tls://host:port`, or
 * `https` (NDJSON batches POSTed) to `https://…`.
 */
export interface AuditStream {
  id: string;
  kind: AuditStreamKind;
  url: string;
  createdAt: string;
  /** The chain's seq when the stream was created: it sends the events after it, and a checkpoint at it first. */
  startSeq: number;
  /** The last event the receiver accepted (for TCP: written, and the connection still up a moment later). */
  deliveredSeq: number;
  lastDeliveredAt: string | null;
  /** Events written but not yet delivered. */
  lag: number;
  /** Why the last attempt failed, while it keeps failing; null once a delivery succeeds. */
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface CreateAuditStreamRequest {
  kind: AuditStreamKind;
  url: string;
}

/** The public keys of audit checkpoints (JWKS, RFC 7517). */
export interface AuditKeySet {
  keys: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' }[];
}

export interface UsagePoint {
  bucket: string;
  issued: number;
  verified: number;
}

export interface Usage {
  from: string;
  to: string;
  granularity: 'minute' | 'hour' | 'day';
  items: UsagePoint[];
}

export interface OrganizationSettings {
  rotationMaxAgeDays: number;
}

export interface OrganizationOverview {
  tenants: number;
  widgets: number;
  widgetsWithoutSecret: number;
  /** Widgets whose active secret is older than the rotation policy. */
  widgetsOverdue: number;
  activeApiKeys: number;
  /** Live widgets queued for rotation (offboarding) and not rotated since. */
  widgetsRotationRequested: number;
  /** Live API keys that expire within the next 7 days (the reminders job's `api_key.expiring`). */
  apiKeysExpiringSoon: number;
  rotationMaxAgeDays: number;
}

/** The columns of a bulk import and of the inventory export, in this order (the CSV header names them). */
export type ImportField = 'tenant' | 'widget' | 'huggyWidgetUuid' | 'huggyCompanyId' | 'secret';

/** One row of a bulk import sent as JSON: `{ rows: ImportRow[] }`. An empty or missing secret leaves the secret alone. */
export interface ImportRow {
  tenant: string;
  widget: string;
  huggyWidgetUuid?: string | null;
  huggyCompanyId?: string | null;
  secret?: string | null;
}

/**
 * What a row does: creates its widget (with the secret as version 1 when given), imports its secret as the widget's
 * new active version, changes nothing (the same tenant, Huggy widget uuid and secret as Keyring holds), or cannot be
 * imported (see the report's errors).
 */
export type ImportOutcome = 'create-widget' | 'import-secret' | 'unchanged' | 'error';

/** Something wrong with a row: `row` is the line of the CSV (its header is line 1) or the 1-based index of a JSON row. */
export interface ImportIssue {
  row: number;
  /** The column at fault; null when the row as a whole is. */
  field: ImportField | null;
  message: string;
}

/** A row's planned (dry run) or applied outcome. Never holds the secret; a fingerprint identifies it once stored. */
export interface ImportRowReport {
  row: number;
  tenant: string | null;
  widget: string | null;
  huggyWidgetUuid: string | null;
  outcome: ImportOutcome;
  /** Whether the row's tenant is new (created by this import). */
  newTenant: boolean;
  /** The widget the row matched, or the one it created; null in a dry run of a new widget and for an error. */
  widgetId: string | null;
  /** The secret version the row stores (or would): 1 for a new widget, the next one for `import-secret`. */
  secretVersion: number | null;
  /** The stored secret's fingerprint (after an apply), or the active one an `unchanged` row matched. */
  fingerprint: string | null;
}

export interface ImportReport {
  dryRun: boolean;
  /** True once the import's changes are committed: never in a dry run, nor when a row has an error. */
  applied: boolean;
  counts: {
    rows: number;
    /** Rows with at least one issue. */
    invalidRows: number;
    tenantsCreated: number;
    widgetsCreated: number;
    secretsImported: number;
    unchanged: number;
  };
  /** Names of the tenants the import creates (dry run) or created. */
  newTenants: string[];
  errors: ImportIssue[];
  rows: ImportRowReport[];
}

/** What archiving a tenant stops: the client page's archive dialog says it before asking. */
export interface TenantSummary {
  tenantId: string;
  /** Live widgets: they stop signing. */
  widgets: number;
  widgetsWithSecret: number;
  /** API keys neither revoked nor expired: they stop signing and verifying. */
  activeApiKeys: number;
  /** Members limited to some tenants, this one among them. */
  membersLimitedHere: number;
  /** Of those, the ones whose every other tenant is archived: they are left with nothing to see. */
  membersOnlyHere: number;
}

/** A secret version a person saw: they revealed it, or pasted it themselves (rotation, import, first secret). */
export interface ExposedSecretVersion {
  widgetId: string;
  widgetName: string;
  tenantId: string;
  tenantName: string;
  version: number;
  fingerprint: string;
  how: 'revealed' | 'rotated';
  /** The last time (for reveals, the newest of `times`). */
  at: string;
  times: number;
  state: SecretState;
  /** The version signs (active) or still verifies (previous): rotating the widget is what ends its use. */
  stillInUse: boolean;
  widgetArchived: boolean;
  rotationRequestedAt: string | null;
}

/** Everything a member (or former member) could still use after leaving, within the reader's tenants. */
export interface OffboardingReport {
  user: { id: string; email: string | null };
  /** Their membership now; null once removed. */
  membership: { role: Role; tenantIds: string[] | null } | null;
  secretVersions: ExposedSecretVersion[];
  /** API keys they created that still work (neither revoked nor expired). */
  apiKeys: ApiKey[];
  /** Live widgets with a version they saw still in use and no rotation requested yet: what the action queues. */
  widgetsToQueue: number;
}

export interface OffboardingRotationRequest {
  /** The widgets queued now (those already queued are left as they were). */
  queued: { widgetId: string; widgetName: string; tenantName: string }[];
}

/** An organization's webhook endpoint (#17). Its signing secret is in the create and rotate answers only. */
export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  /** False once disabled, by hand or because the endpoint answered 410 Gone. */
  enabled: boolean;
  disabledReason: string | null;
  /** Until then, the secret replaced by the last rotation still signs too (a second `v1,` signature). */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer of creating a webhook or rotating its secret: the secret is shown this once. */
export interface WebhookWithSecret {
  webhook: Webhook;
  secret: string;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event sent to one endpoint, with its attempts so far (the same `webhook-id` on each). */
export interface WebhookDelivery {
  /** The `webhook-id` header of every attempt. */
  id: string;
  webhookId: string;
  eventType: WebhookEventType | 'webhook.test';
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The last attempt's HTTP status; null when it got no answer (refused address, timeout, connection error). */
  responseStatus: number | null;
  latencyMs: number | null;
  /** Why the last attempt failed, when it did. */
  lastError: string | null;
  /** The first 1 KB of the last answer's body. */
  responseBody: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  /** When the next attempt is due, while pending. */
  nextAttemptAt: string | null;
  completedAt: string | null;
}
