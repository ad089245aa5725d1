import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MASTER_KEYS, type MasterKeys } from '../crypto/master-keys';

/** How many stored secret versions one master key wraps. */
export interface MasterKeyUsage {
  keyId: string;
  versions: number;
}

/** Every master key id the stored secrets are under, with their counts (the partial index on master_key_id). */
export async function masterKeyUsage(db: DataSource): Promise<MasterKeyUsage[]> {
  return db.query(
    'SELECT master_key_id AS "keyId", count(*)::int AS versions FROM secret_versions WHERE ciphertext IS NOT NULL GROUP BY 1 ORDER BY 1',
  );
}

/** The keys of `usage` that `keys` does not hold: those secrets cannot be opened by this process. */
export function missingMasterKeys(usage: MasterKeyUsage[], keys: MasterKeys): MasterKeyUsage[] {
  return usage.filter((entry) => !keys.byId.has(entry.keyId));
}

/** `"old-2025" (3 secret versions), "k2" (1 secret version)`, for messages to the operator. */
export function describeMasterKeyUsage(usage: MasterKeyUsage[]): string {
  return usage.map(({ keyId, versions }) => `"${keyId}" (${versions} secret version${versions === 1 ? '' : 's'})`).join(', ');
}

/**
 * Whether this process holds every master key the stored secrets need. Checked by /readyz rather than found out
 * by a 500 on the first sign or reveal: an instance started without a key (or not restarted after a key change
 * another instance re-wrapped onto) must not take traffic.
 */
@Injectable()
export class MasterKeyCoverage {
  constructor(
    private readonly db: DataSource,
    @Inject(MASTER_KEYS) private readonly keys: MasterKeys,
  ) {}

  async missing(): Promise<MasterKeyUsage[]> {
    return missingMasterKeys(await masterKeyUsage(this.db), this.keys);
  }
}
