import { createHash } from 'node:crypto';
import { canonicalJson, type StoredAuditEvent } from '../src/audit/audit-chain';
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
