import type { ApiKeyScope, Role } from './permissions';

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
  scopes: ApiKeyScope[];
  widgetIds: string[] | null;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface Member {
  userId: string;
  email: string;
  role: Role;
  tenantIds: string[] | null;
  createdAt: string;
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
