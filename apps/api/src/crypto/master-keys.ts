import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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

export interface LocalMasterKeys {
  keys: MasterKeys;
  file: string;
  /** Set when the key was found in the data folder, where installs before this version kept it: where to move it. */
  moveTo?: string;
}

type LocalKeyConfig = { dataDir: string; localKeyDir: string };

/**
 * The local key of a single-machine install without configured keys (never in production), without creating one:
 * undefined when there is none yet. For `doctor`.
 */
export async function findLocalMasterKeys(config: LocalKeyConfig): Promise<LocalMasterKeys | undefined> {
  const idFile = join(config.dataDir, 'install-id');
  return readLocalKey(config, existsSync(idFile) ? (await readFile(idFile, 'utf8')).trim() : '<install id>');
}

/** The local key, generated (mode 0600, in a folder of mode 0700) on first use. */
export async function localMasterKeys(config: LocalKeyConfig): Promise<LocalMasterKeys & { created: boolean }> {
  const installId = await ensureInstallId(config.dataDir);
  const found = await readLocalKey(config, installId);
  if (found) return { ...found, created: false };
  const file = keyFileOf(config, installId);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { keys: await readKeyFile(file), file, created: true };
}

/** `<keyDir>/<install id>/master-key`: outside the data folder, so that one copy of that folder is not key and data. */
function keyFileOf(config: LocalKeyConfig, installId: string): string {
  return join(config.localKeyDir, installId, 'master-key');
}

async function readLocalKey(config: LocalKeyConfig, installId: string): Promise<LocalMasterKeys | undefined> {
  const file = keyFileOf(config, installId);
  if (existsSync(file)) return { keys: await readKeyFile(file), file };
  // Where installs before this version kept it, beside the cluster it protects: still read, with a warning.
  const inDataFolder = join(config.dataDir, 'master-key');
  return existsSync(inDataFolder) ? { keys: await readKeyFile(inDataFolder), file: inDataFolder, moveTo: file } : undefined;
}

/**
 * The install id, a UUID in the data folder, names the key's folder: several installs of one user keep their keys
 * apart, and a data folder restored from a backup finds its key again.
 */
async function ensureInstallId(dataDir: string): Promise<string> {
  const idFile = join(dataDir, 'install-id');
  if (!existsSync(idFile)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(idFile, `${randomUUID()}\n`, { flag: 'wx' });
  }
  return (await readFile(idFile, 'utf8')).trim();
}

async function readKeyFile(file: string): Promise<MasterKeys> {
  const problems: string[] = [];
  const keys = parseMasterKeys((await readFile(file, 'utf8')).trim(), undefined, problems);
  if (!keys) throw new Error(`The master key file ${file} is damaged: ${problems.join('; ')}`);
  return keys;
}

/** The configured master keys or, outside production, the local key file; says loudly which, and where. */
export async function resolveMasterKeys(
  config: LocalKeyConfig & { masterKeys?: MasterKeys },
  warn: (message: string) => void,
): Promise<MasterKeys> {
  if (config.masterKeys) return config.masterKeys;
  const { keys, file, created, moveTo } = await localMasterKeys(config);
  if (moveTo) {
    warn(
      `The local master key is in the data folder (${file}), beside the database it protects: one copy of that folder ` +
        `holds both the secrets and their key. Stop Keyring and move it out: mkdir -p ${dirname(moveTo)} && mv ${file} ${moveTo}`,
    );
  } else {
    warn(
      `${created ? 'GENERATED a new' : 'Using the'} local master key in ${file}, outside the data folder (${config.dataDir}) on ` +
        'purpose. Every secret in this database is encrypted under it: back it up, apart from the data folder, and set ' +
        'KEYRING_MASTER_KEYS for a real deployment.',
    );
  }
  return keys;
}
