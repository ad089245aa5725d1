import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MASTER_KEYS, type MasterKeys } from '../crypto/master-keys';
import { totpSecretKeyUsage } from '../identity/totp-secrets';

/** How many stored values one master key wraps: widget secret versions and users' TOTP secrets. */
export interface MasterKeyUsage {
  keyId: string;
  versions: number;
  totpSecrets: number;
}

/** Every master key id stored values are under, with their counts (versions through the index on master_key_id). */
export async function masterKeyUsage(db: DataSource): Promise<MasterKeyUsage[]> {
  const versions = await db.query<{ keyId: string; versions: number }[]>(
    'SELECT master_key_id AS "keyId", count(*)::int AS versions FROM secret_versions WHERE ciphertext IS NOT NULL GROUP BY 1',
  );
  const totp = await totpSecretKeyUsage(db.manager);
  const keyIds = [...new Set([...versions.map((row) => row.keyId), ...totp.keys()])].sort();
  return keyIds.map((keyId) => ({
    keyId,
    versions: versions.find((row) => row.keyId === keyId)?.versions ?? 0,
    totpSecrets: totp.get(keyId) ?? 0,
  }));
}

/** The keys of `usage` that `keys` does not hold: those secrets cannot be opened by this process. */
export function missingMasterKeys(usage: MasterKeyUsage[], keys: MasterKeys): MasterKeyUsage[] {
  return usage.filter((entry) => !keys.byId.has(entry.keyId));
}

/** `"old-2025" (3 secret versions, 1 two-factor secret), "k2" (1 secret version)`, for messages to the operator. */
export function describeMasterKeyUsage(usage: MasterKeyUsage[]): string {
  const counted = (count: number, noun: string) => (count === 0 ? [] : [`${count} ${noun}${count === 1 ? '' : 's'}`]);
  return usage
    .map(({ keyId, versions, totpSecrets }) => `"${keyId}" (${[...counted(versions, 'secret version'), ...counted(totpSecrets, 'two-factor secret')].join(', ')})`)
    .join(', ');
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
