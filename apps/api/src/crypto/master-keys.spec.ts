import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findLocalMasterKeys, resolveMasterKeys } from './master-keys';

/** The generated key of a single-machine install lives outside its data folder: one copy of the folder is not both. */
describe('the local master key', () => {
  let root: string;
  let config: { dataDir: string; localKeyDir: string };
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'keyring-local-key-'));
    config = { dataDir: join(root, 'data'), localKeyDir: join(root, 'config', 'keyring') };
    warnings.length = 0;
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('is generated under the user configuration folder, named by the install id, and the path is printed', async () => {
    expect(await findLocalMasterKeys(config)).toBeUndefined();
    expect(existsSync(config.dataDir)).toBe(false); // looking creates nothing

    const keys = await resolveMasterKeys(config, warn);
    const installId = (await readFile(join(config.dataDir, 'install-id'), 'utf8')).trim();
    expect(installId).toMatch(/^[0-9a-f-]{36}$/);
    const file = join(config.localKeyDir, installId, 'master-key');
    expect(await readFile(file, 'utf8')).toMatch(/^local:[A-Za-z0-9+/]{43}=\n$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
    expect(await readdir(config.dataDir)).toEqual(['install-id']); // nothing secret in the data folder
    expect(warnings).toEqual([
      `GENERATED a new local master key in ${file}, outside the data folder (${config.dataDir}) on purpose. Every secret in ` +
        'this database is encrypted under it: back it up, apart from the data folder, and set KEYRING_MASTER_KEYS for a real deployment.',
    ]);

    // The next start finds the same key.
    expect(await resolveMasterKeys(config, warn)).toEqual(keys);
    expect(warnings[1]).toMatch(/^Using the local master key in /);
  });

  it('keeps a key that an older version put in the data folder working, and says how to move it out', async () => {
    await mkdir(config.dataDir, { recursive: true });
    const legacy = join(config.dataDir, 'master-key');
    await writeFile(legacy, `local:${Buffer.alloc(32, 5).toString('base64')}\n`, { mode: 0o600 });

    const keys = await resolveMasterKeys(config, warn);
    expect(keys.active.key).toEqual(new Uint8Array(32).fill(5));
    const moveTo = join(config.localKeyDir, (await readFile(join(config.dataDir, 'install-id'), 'utf8')).trim(), 'master-key');
    expect(warnings).toEqual([
      `The local master key is in the data folder (${legacy}), beside the database it protects: one copy of that folder holds ` +
        `both the secrets and their key. Stop Keyring and move it out: mkdir -p ${dirname(moveTo)} && mv ${legacy} ${moveTo}`,
    ]);

    // Moved as told: found there, the same key, no more warning about it.
    await mkdir(dirname(moveTo), { recursive: true, mode: 0o700 });
    await rename(legacy, moveTo);
    expect(await resolveMasterKeys(config, warn)).toEqual(keys);
    expect(warnings[1]).toMatch(new RegExp(`^Using the local master key in ${moveTo}`));
  });
});
