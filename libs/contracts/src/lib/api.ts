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
  /** Live API keys that expire within the next 7 days (the reminders job's `api_key.expiring`). */
  apiKeysExpiringSoon: number;
  rotationMaxAgeDays: number;
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
