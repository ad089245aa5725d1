import type { DataSource, EntityManager } from 'typeorm';
import type { AuditAction } from '@keyring/contracts';
import { systemContext } from '../access/request-context';
import type { AuditWriter } from '../audit/audit-writer.service';
import type { Envelope } from '../crypto/envelope';
import { rewrapTotpSecrets, totpSecretKeyUsage } from '../identity/totp-secrets';
import { widgetSecretBinding } from './widget-secrets';

export interface RewrapProgress {
  done: number;
  total: number;
}

export interface RewrapResult extends RewrapProgress {
  /** Users' TOTP secrets moved too: they are under the master key as well. */
  totpSecrets: number;
  /**
   * Values (versions, TOTP secrets) still under an old master key when the run stopped: 0 unless another
   * transaction held them too long.
   */
  remaining: number;
  /** Why `remaining` is not 0, for the operator. */
  stoppedBecause?: string;
}

export interface RewrapOptions {
  batchSize?: number;
  /** Once every unlocked version is moved, how long to wait for one another transaction holds (a rotation). */
  lockWaitMs?: number;
  onProgress?: (progress: RewrapProgress) => void;
}

/** PostgreSQL's lock_not_available: `lock_timeout` ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Moves every secret version not under the active master key onto it, then the users' TOTP secrets, which the
 * master key wraps too. Versions go a batch per transaction: killed halfway,
 * it leaves whole batches done and the rest untouched, and the next run carries on. Rows are taken with SKIP
 * LOCKED, so the API keeps serving and rotating while it runs; the versions other transactions hold are then
 * waited for (up to `lockWaitMs` each), because an old key removed while one version still needs it strands that
 * widget. `rewrap_completed` is audited only when no version is left behind. Audited in the installation's chain.
 */
export async function rewrapSecrets(db: DataSource, envelope: Envelope, audit: AuditWriter, options: RewrapOptions = {}): Promise<RewrapResult> {
  const batchSize = options.batchSize ?? 500;
  const lockWaitMs = options.lockWaitMs ?? 30_000;
  const active = envelope.activeKeyId;
  const oldKeyIds = (
    await db.query<{ id: string }[]>('SELECT DISTINCT master_key_id AS id FROM secret_versions WHERE ciphertext IS NOT NULL AND master_key_id <> $1', [active])
  ).map((row) => row.id);
  const total = await countUnder(db.manager, oldKeyIds);
  await record(db, audit, 'master_key.rewrap_started', { activeMasterKeyId: active, fromMasterKeyIds: oldKeyIds, versionsToRewrap: total });
  let done = 0;
  options.onProgress?.({ done, total });
  const batch = { envelope, oldKeyIds, batchSize };
  for (;;) {
    let moved = await db.transaction((manager) => moveBatch(manager, { ...batch, waitMs: null }));
    // Nothing unlocked is left; whatever remains is held by other transactions: wait for it.
    if (moved === 0) moved = await db.transaction((manager) => moveBatch(manager, { ...batch, waitMs: lockWaitMs })).catch(lockTimeoutAsZero);
    if (moved === 0) break;
    done += moved;
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  const totpSecrets = await db
    .transaction(async (manager) => {
      await waitForLocks(manager, lockWaitMs);
      return rewrapTotpSecrets(manager, envelope);
    })
    .catch(lockTimeoutAsZero);
  const remaining = (await countUnder(db.manager, oldKeyIds)) + (await totpUnderOtherKeys(db.manager, active));
  const moved = { activeMasterKeyId: active, versionsRewrapped: done, totpSecretsRewrapped: totpSecrets };
  if (remaining > 0) {
    const stoppedBecause = `locked by another transaction for more than ${lockWaitMs / 1000} s`;
    await record(db, audit, 'master_key.rewrap_stopped', { ...moved, valuesRemaining: remaining });
    return { done, total: Math.max(total, done), totpSecrets, remaining, stoppedBecause };
  }
  await record(db, audit, 'master_key.rewrap_completed', moved);
  return { done, total: Math.max(total, done), totpSecrets, remaining: 0 };
}

interface Batch {
  envelope: Envelope;
  oldKeyIds: string[];
  batchSize: number;
  /** null: skip the rows other transactions hold; a number: wait that long for them. */
  waitMs: number | null;
}

/** Re-encrypts up to one batch of versions under the active key, in the caller's transaction; how many moved. */
async function moveBatch(manager: EntityManager, { envelope, oldKeyIds, batchSize, waitMs }: Batch): Promise<number> {
  if (waitMs !== null) await waitForLocks(manager, waitMs);
  const rows = await manager.query<{ widget_id: string; version: number; organization_id: string; ciphertext: string }[]>(
    // By master key id (indexed): rows already moved fall out of the range instead of being scanned again.
    `SELECT widget_id, version, organization_id, ciphertext FROM secret_versions
      WHERE ciphertext IS NOT NULL AND master_key_id = ANY($1)
      LIMIT $2 FOR UPDATE ${waitMs === null ? 'SKIP LOCKED' : ''}`,
    [oldKeyIds, batchSize],
  );
  // WebCrypto runs on the thread pool: the batch's rows are re-encrypted concurrently, then written at once.
  const rewrapped = await Promise.all(
    rows.map(async (row) => {
      const binding = widgetSecretBinding(row.organization_id, row.widget_id, row.version);
      return envelope.encrypt(await envelope.decrypt(row.ciphertext, binding), binding);
    }),
  );
  await manager.query(
    `UPDATE secret_versions v SET ciphertext = x.ciphertext, master_key_id = $4
       FROM unnest($1::uuid[], $2::int[], $3::text[]) AS x(widget_id, version, ciphertext)
      WHERE v.widget_id = x.widget_id AND v.version = x.version`,
    [rows.map((row) => row.widget_id), rows.map((row) => row.version), rewrapped, envelope.activeKeyId],
  );
  return rows.length;
}

/** In this transaction, a row another one holds is waited for this long, then the statement fails (55P03). */
async function waitForLocks(manager: EntityManager, ms: number): Promise<void> {
  await manager.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(ms))}`);
}

function lockTimeoutAsZero(error: unknown): number {
  if ((error as { driverError?: { code?: string } }).driverError?.code === LOCK_NOT_AVAILABLE) return 0;
  throw error;
}

async function countUnder(manager: EntityManager, keyIds: string[]): Promise<number> {
  const [{ count }] = await manager.query<{ count: number }[]>(
    'SELECT count(*)::int AS count FROM secret_versions WHERE ciphertext IS NOT NULL AND master_key_id = ANY($1)',
    [keyIds],
  );
  return count;
}

async function totpUnderOtherKeys(manager: EntityManager, active: string): Promise<number> {
  let count = 0;
  for (const [keyId, secrets] of await totpSecretKeyUsage(manager)) if (keyId !== active) count += secrets;
  return count;
}

function record(db: DataSource, audit: AuditWriter, action: AuditAction, details: Record<string, unknown>): Promise<unknown> {
  return db.transaction((manager) => audit.record(manager, systemContext(), { organizationId: null, action, details }));
}
