import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CONSOLE_INDEX_HTML = '<!doctype html><title>Keyring</title><kr-root></kr-root>';

/** A stand-in for the built console (`KEYRING_CONSOLE_DIR`): an index.html and one script, as the app serves them. */
export async function consoleDir(indexHtml = CONSOLE_INDEX_HTML): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keyring-console-'));
  await writeFile(join(dir, 'index.html'), indexHtml);
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'assets', 'main.js'), 'console.log("console")');
  return dir;
}
