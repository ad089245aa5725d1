import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MASTER_KEYS, type MasterKeys } from '../crypto/master-keys';
import { secretVersionKeyUsage } from '../custody/secret-key-usage';
import { totpSecretKeyUsage } from '../identity/totp-secrets';
import { webhookSecretKeyUsage } from '../webhooks/webhook-secrets-rewrap';

/**
 * How many stored values one master key wraps: widget secret versions, users' TOTP secrets and webhooks' signing
 * secrets (the audit log's keys are not counted: every instance holding both keys moves them at its start).
 */
export interface MasterKeyUsage {
  keyId: string;
  versions: number;
  totpSecrets: number;
  webhookSecrets: number;
}

/** Every master key id stored values are under, with their counts. */
export async function masterKeyUsage(db: DataSource): Promise<MasterKeyUsage[]> {
  const [versions, totp, webhooks] = [await secretVersionKeyUsage(db.manager), await totpSecretKeyUsage(db.manager), await webhookSecretKeyUsage(db.manager)];
  const keyIds = [...new Set([...versions.keys(), ...totp.keys(), ...webhooks.keys()])].sort();
  return keyIds.map((keyId) => ({
    keyId,
    versions: versions.get(keyId) ?? 0,
    totpSecrets: totp.get(keyId) ?? 0,
    webhookSecrets: webhooks.get(keyId) ?? 0,
  }));
}

/** The keys of `usage` that `keys` does not hold: those secrets cannot be opened by this process. */
export function missingMasterKeys(usage: MasterKeyUsage[], keys: MasterKeys): MasterKeyUsage[] {
  return usage.filter((entry) => !keys.byId.has(entry.keyId));
}

/** `"old-2025" (3 secret versions, 1 two-factor secret), "k2" (1 webhook signing secret)`, for messages to the operator. */
export function describeMasterKeyUsage(usage: MasterKeyUsage[]): string {
  const counted = (count: number, noun: string) => (count === 0 ? [] : [`${count} ${noun}${count === 1 ? '' : 's'}`]);
  return usage
    .map(
      ({ keyId, versions, totpSecrets, webhookSecrets }) =>
        `"${keyId}" (${[...counted(versions, 'secret version'), ...counted(totpSecrets, 'two-factor secret'), ...counted(webhookSecrets, 'webhook signing secret')].join(', ')})`,
    )
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
