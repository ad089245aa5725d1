import { createHash } from 'node:crypto';
import type { ActorType } from '../access/request-context';

/** `prev_hash` of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Key of the installation's own chain (events that belong to no organization). */
export const SYSTEM_CHAIN = '00000000-0000-0000-0000-000000000000';


export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Every field that the hash covers: the whole event as stored, but its row id and its own hash. */
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
}

/**
 * SHA-256 over a canonical JSON serialization (keys sorted at every depth, times in ISO 8601 UTC) of the event
 * and the hash of the event before it. Changing any stored field, or removing or reordering events, changes a hash.
 */
export function auditEventHash(event: ChainedEvent): string {
  const canonical = canonicalJson({ v: 1, ...event, occurredAt: event.occurredAt.toISOString() });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys in code-point order at every depth, so that equal values always serialize alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
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
