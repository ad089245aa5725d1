import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A key-encryption key: wraps the data keys of encrypted values. Never stored in the database. */
export interface MasterKey {
  id: string;
  key: Uint8Array;
}

export interface MasterKeys {
  /** The key new values are wrapped with. */
  active: MasterKey;
  /** Every configured key by id, so that values wrapped by an older key still open during a re-wrap. */
  byId: ReadonlyMap<string, MasterKey>;
}

export const MASTER_KEYS = Symbol('MasterKeys');

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses `KEYRING_MASTER_KEYS` (`id:base64-of-32-bytes`, comma-separated) and `KEYRING_ACTIVE_MASTER_KEY`.
 * Problems are reported by variable name, never with the key material.
 */
export function parseMasterKeys(value: string, activeId: string | undefined, problems: string[]): MasterKeys | undefined {
  const byId = new Map<string, MasterKey>();
  for (const [index, entry] of value.split(',').map((part) => part.trim()).entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const encoded = entry.slice(separator + 1);
    if (!KEY_ID.test(id)) {
      problems.push(`KEYRING_MASTER_KEYS entry ${index + 1} must look like id:base64 with an id of letters, digits, . _ or -`);
      continue;
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
      problems.push(`KEYRING_MASTER_KEYS key "${id}" must be 32 bytes in base64 (generate one with: openssl rand -base64 32)`);
      continue;
    }
    if (byId.has(id)) problems.push(`KEYRING_MASTER_KEYS names the key "${id}" twice`);
    byId.set(id, { id, key: new Uint8Array(key) });
  }
  if (byId.size === 0) return undefined;
  if (activeId === undefined && byId.size > 1) {
    problems.push('KEYRING_ACTIVE_MASTER_KEY must name the active key when KEYRING_MASTER_KEYS holds several');
    return undefined;
  }
  const active = byId.get(activeId ?? [...byId.keys()][0]);
  if (!active) {
    problems.push(`KEYRING_ACTIVE_MASTER_KEY names "${activeId}", which is not in KEYRING_MASTER_KEYS`);
    return undefined;
  }
  return { active, byId };
}

/**
 * For a single-machine install without configured keys: a key generated once into the data folder (mode 0600).
 * Losing that file loses every secret, which is why `main.ts` says so loudly.
 */
export async function localMasterKeys(dataDir: string): Promise<{ keys: MasterKeys; file: string; created: boolean }> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'master-key');
  const created = !existsSync(file);
  if (created) await writeFile(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  const problems: string[] = [];
  const keys = parseMasterKeys((await readFile(file, 'utf8')).trim(), undefined, problems);
  if (!keys) throw new Error(`The master key file ${file} is damaged: ${problems.join('; ')}`);
  return { keys, file, created };
}

/** The configured master keys or, outside production, the local key file; says loudly which. */
export async function resolveMasterKeys(config: { masterKeys?: MasterKeys; dataDir: string }, warn: (message: string) => void): Promise<MasterKeys> {
  if (config.masterKeys) return config.masterKeys;
  const { keys, file, created } = await localMasterKeys(config.dataDir);
  warn(
    `${created ? 'GENERATED a new' : 'Using the'} local master key in ${file}. Every secret in this database is ` +
      'encrypted under it: back it up, and set KEYRING_MASTER_KEYS for a real deployment.',
  );
  return keys;
}
