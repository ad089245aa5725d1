import { createHash } from 'node:crypto';
import { auditEventMac, canonicalJson, type ChainedEvent, type StoredAuditEvent } from '../src/audit/audit-chain';
import type { AuditKeys } from '../src/audit/audit-keys';
import type { Session } from './identity-fixtures';
import type { TestDatabase } from './test-database';

/** Starts a full verification and polls GET verify until it has finished; its outcome. */
export async function fullVerificationOf(session: Session, orgId: string) {
  const started = await session.request('POST', `/api/v1/orgs/${orgId}/audit-events/verify/full`);
  if (started.status !== 202) throw new Error(`full verification: ${started.status} ${started.text}`);
  for (let attempt = 0; attempt < 400; attempt++) {
    const { body } = await session.request('GET', `/api/v1/orgs/${orgId}/audit-events/verify`);
    if (body.fullVerification?.finishedAt) return body.fullVerification;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the full verification did not finish');
}

/** The chain's recipe before it was keyed (SHA-256 without a key): what anyone with the database can compute. */
export function unkeyedHash(event: Omit<StoredAuditEvent, 'hash' | 'keyId'>): string {
  return createHash('sha256')
    .update(canonicalJson({ v: 1, ...event, occurredAt: new Date(event.occurredAt).toISOString() }))
    .digest('hex');
}

/** SQL run as the database's owner with the append-only trigger off, as a DBA or a stolen superuser would. */
export async function asDba<T extends object = Record<string, unknown>>(db: TestDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
  await db.query('SET session_replication_role = replica');
  try {
    return await db.query<T>(sql, params);
  } finally {
    await db.query('SET session_replication_role = origin');
  }
}

/** Appends `count` valid events to the organization's chain in one statement, as the app would MAC them. */
export async function appendEvents(db: TestDatabase, keys: AuditKeys, organizationId: string, count: number): Promise<void> {
  const [head] = await db.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1', [organizationId]);
  const { id: keyId, key } = keys.activeMacKey;
  const events: StoredAuditEvent[] = [];
  let prevHash = head?.hash ?? '0'.repeat(64);
  for (let i = 1; i <= count; i++) {
    const event: ChainedEvent = {
      ...{ organizationId, seq: Number(head?.seq ?? 0) + i, occurredAt: new Date(), actorType: 'system', actorId: null, actorLabel: 'system' },
      ...{ action: 'bulk.written', targetType: null, targetId: null, tenantId: null, ip: null, userAgent: null, requestId: null },
      ...{ outcome: 'success', details: { i }, prevHash, keyId },
    };
    prevHash = auditEventMac(event, key);
    events.push({ ...event, hash: prevHash });
  }
  await db.query(
    `INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, actor_label, action, outcome, details, prev_hash, key_id, hash)
     SELECT $1, e.seq, e.occurred_at, 'system', 'system', 'bulk.written', 'success', e.details, e.prev_hash, $2, e.hash
       FROM jsonb_to_recordset($3::jsonb) AS e(seq bigint, occurred_at timestamptz, details jsonb, prev_hash text, hash text)`,
    [organizationId, keyId, JSON.stringify(events.map((event) => ({ seq: event.seq, occurred_at: event.occurredAt, details: event.details, prev_hash: event.prevHash, hash: event.hash })))],
  );
}
