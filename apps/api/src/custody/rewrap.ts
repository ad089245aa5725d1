import type { DataSource } from 'typeorm';
import { systemContext } from '../access/request-context';
import type { AuditWriter } from '../audit/audit-writer.service';
import type { Envelope } from '../crypto/envelope';
import { widgetSecretBinding } from './widget-secrets';

export interface RewrapProgress {
  done: number;
  total: number;
}

export interface RewrapOptions {
  batchSize?: number;
  onProgress?: (progress: RewrapProgress) => void;
}

/**
 * Moves every secret version not under the active master key onto it, a batch per transaction: killed halfway,
 * it leaves whole batches done and the rest untouched, and the next run carries on. Rows are locked with SKIP
 * LOCKED, so the API keeps serving and rotating while it runs. Audited in the installation's chain.
 */
export async function rewrapSecrets(
  db: DataSource,
  envelope: Envelope,
  audit: AuditWriter,
  options: RewrapOptions = {},
): Promise<RewrapProgress> {
  const batchSize = options.batchSize ?? 500;
  const active = envelope.activeKeyId;
  const oldKeyIds: string[] = (
    await db.query('SELECT DISTINCT master_key_id AS id FROM secret_versions WHERE ciphertext IS NOT NULL AND master_key_id <> $1', [active])
  ).map((row: { id: string }) => row.id);
  const [{ total }] = await db.query(
    'SELECT count(*)::int AS total FROM secret_versions WHERE ciphertext IS NOT NULL AND master_key_id = ANY($1)',
    [oldKeyIds],
  );
  await db.transaction((manager) =>
    audit.record(manager, systemContext(), {
      organizationId: null,
      action: 'master_key.rewrap_started',
      details: { activeMasterKeyId: active, fromMasterKeyIds: oldKeyIds, versionsToRewrap: total },
    }),
  );
  let done = 0;
  options.onProgress?.({ done, total });
  for (;;) {
    const moved = await db.transaction(async (manager) => {
      const rows: { widget_id: string; version: number; organization_id: string; ciphertext: string }[] = await manager.query(
        // By master key id (indexed): rows already moved fall out of the range instead of being scanned again.
        `SELECT widget_id, version, organization_id, ciphertext FROM secret_versions
          WHERE ciphertext IS NOT NULL AND master_key_id = ANY($1)
          LIMIT $2 FOR UPDATE SKIP LOCKED`,
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
        [rows.map((row) => row.widget_id), rows.map((row) => row.version), rewrapped, active],
      );
      return rows.length;
    });
    if (moved === 0) break;
    done += moved;
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  await db.transaction((manager) =>
    audit.record(manager, systemContext(), {
      organizationId: null,
      action: 'master_key.rewrap_completed',
      details: { activeMasterKeyId: active, versionsRewrapped: done },
    }),
  );
  return { done, total: Math.max(total, done) };
}
