import { createHash, createHmac } from 'node:crypto';
import type { ActorType } from '../access/request-context';

/** `prev_hash` of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Key of the installation's own chain (events that belong to no organization). */
export const SYSTEM_CHAIN = '00000000-0000-0000-0000-000000000000';


export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Every field that the MAC covers: the whole event as stored, but its row id and its own hash. */
export interface ChainedEvent {
  organizationId: string | null;
  seq: number;
  occurredAt: Date;
  actorType: ActorType;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  tenantId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  prevHash: string;
  /** The audit key (named after the master key it is derived from) the MAC is under; null for a legacy event. */
  keyId: string | null;
}

export interface StoredAuditEvent extends ChainedEvent {
  hash: string;
}

/**
 * HMAC-SHA256, under the audit key `event.keyId` names, over a canonical JSON serialization (keys sorted at every
 * depth, times in ISO 8601 UTC) of the event, the MAC of the event before it included. Without the key, which the
 * database does not hold, nobody can write an event, or rewrite one and its successors, that verifies.
 */
export function auditEventMac(event: ChainedEvent, auditKey: Uint8Array): string {
  const canonical = canonicalJson({ v: 2, ...event, occurredAt: event.occurredAt.toISOString() });
  return createHmac('sha256', auditKey).update(canonical).digest('hex');
}

/**
 * Keyring's word for how far it verified a chain, under the same audit key: a verification starts from a point
 * only when this MAC holds, so that someone writing to the database cannot move the point past events they changed.
 */
export function verifiedPointMac(chainId: string, point: { seq: number; hash: string }, auditKey: Uint8Array): string {
  // Not JSON: no event's MAC input can look like this one.
  return createHmac('sha256', auditKey).update(`verified-point:${chainId}:${point.seq}:${point.hash}`).digest('hex');
}

/**
 * Running SHA-256 over the stored unkeyed events of a chain (each with its own hash), from `GENESIS_HASH`: the
 * checkpoint that seals a legacy prefix signs this digest, so that nothing of that prefix can change afterwards,
 * whether its old unkeyed hashes held or not.
 */
export function legacyDigest(previous: string, event: StoredAuditEvent): string {
  return createHash('sha256')
    .update(previous)
    .update(canonicalJson({ ...event, occurredAt: new Date(event.occurredAt).toISOString() }))
    .digest('hex');
}

/** JSON with object keys in code-point order at every depth, so that equal values always serialize alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Plain loops: a full verification serializes every event of the log.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const entry = record[key];
    if (entry === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(entry)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * `details` as PostgreSQL's jsonb will give them back, so that what is MACed is exactly what is stored: dates as
 * ISO strings (their toJSON), no undefined, -0 as 0, NaN and Infinity as null (JSON's rules), and text as
 * {@link storableText}.
 */
export function storableDetails(details: Record<string, unknown>): Record<string, unknown> {
  return wellFormed(JSON.parse(JSON.stringify(details))) as Record<string, unknown>;
}

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [storableText(key), wellFormed(entry)]));
  }
  return value;
}

const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** PostgreSQL stores neither NUL nor a lone UTF-16 surrogate (jsonb refuses them, text mangles them): U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\ufffd');
}

/** Field names that may never be audited, whatever their value: the audit log holds no secret material. */
const FORBIDDEN_DETAIL_KEYS = new Set(
  ['secret', 'password', 'token', 'key', 'userhash', 'totpcode', 'totpsecret', 'setuptoken', 'csrftoken', 'recoverycodes'],
);

/** Throws if `details` carries a field that could hold a secret; the audited action then fails closed. */
export function assertNoSecretFields(details: unknown, path = 'details'): void {
  if (details === null || typeof details !== 'object') return;
  for (const [key, value] of Object.entries(details)) {
    if (FORBIDDEN_DETAIL_KEYS.has(key.toLowerCase())) {
      throw new Error(`Refusing to audit ${path}.${key}: audit details never hold secret material`);
    }
    assertNoSecretFields(value, `${path}.${key}`);
  }
}
