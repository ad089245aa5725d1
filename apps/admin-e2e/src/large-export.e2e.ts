import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { startKeyring, type KeyringServer } from './keyring-server';

const ROOT = join(__dirname, '../../..');
const OWNER = { email: 'owner@agency.example', password: 'violet-harbor-engine-42' };
const MASTER_KEY = { id: 'e2e-export', key: randomBytes(32) };
/** 100,000 events of about 6.9 kB each: an NDJSON export of about 660 MiB, more than a JavaScript string can hold. */
const EVENTS = 100_000;
const PADDING = 6500;
const MIN_BYTES = 600 * 1024 * 1024;

/**
 * A console export larger than 600 MB, in Chromium: the browser downloads it to disk itself (the console used to
 * read it into one string, which a 1M-event log outgrows). Its own server and database, seeded in SQL with a
 * valid keyed chain (tools/lib/audit-seed.mjs), so that the main e2e's pages stay small.
 */
describe('a large audit export in a real browser', () => {
  let keyring: KeyringServer;
  let browser: Browser;
  let page: Page;
  let organizationId: string;

  beforeAll(async () => {
    keyring = await startKeyring({ KEYRING_MASTER_KEYS: `${MASTER_KEY.id}:${MASTER_KEY.key.toString('base64')}`, KEYRING_ACTIVE_MASTER_KEY: MASTER_KEY.id });
    const setup = await fetch(`${keyring.baseUrl}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ setupToken: keyring.setupToken, ...OWNER, organizationName: 'Agency One' }),
    });
    organizationId = ((await setup.json()) as { organization: { id: string } }).organization.id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await keyring?.stop();
  });

  it('downloads an export of more than 600 MB to disk, complete to the last event, with flat memory', async () => {
    await page.goto(`${keyring.baseUrl}/login`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.goto(`${keyring.baseUrl}/orgs/${organizationId}/audit`);
    await page.getByTestId('audit-events').waitFor();
    // Seeded after signing in, so that the seeded events are the newest.
    let started = Date.now();
    const head = await seed();
    const seededIn = Date.now() - started;
    const serverPeakBefore = await peakResidentBytes(keyring.pid);

    started = Date.now();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'NDJSON' }).click()]);
    expect(download.suggestedFilename()).toBe(`audit-${organizationId}.ndjson`);
    const path = await download.path(); // waits for the end; throws if the download failed
    const downloadedIn = Date.now() - started;
    try {
      const { size } = await stat(path);
      console.log(`large export: ${EVENTS} events seeded in ${(seededIn / 1000).toFixed(1)} s; ${(size / 1024 / 1024).toFixed(0)} MiB downloaded in ${(downloadedIn / 1000).toFixed(1)} s`);
      expect(size).toBeGreaterThan(MIN_BYTES);
      const first = JSON.parse((await readPart(path, 'start', 4 * PADDING)).split('\n')[0]) as { seq: number; action: string };
      expect(first).toMatchObject({ seq: 1, action: 'setup.completed' });
      const tail = (await readPart(path, 'end', 4 * PADDING)).split('\n');
      expect(tail.pop()).toBe(''); // ends with a whole line
      const last = JSON.parse(tail.pop()!) as { seq: number; hash: string; details: { padding: string } };
      expect({ seq: last.seq, hash: last.hash, padding: last.details.padding.length }).toEqual({ seq: head.seq, hash: head.hash, padding: PADDING });

      // Neither side held the export: the server's peak memory grew by a fraction of it (batches of 2000 events and
      // the garbage of reading them; holding it would take more than its size), and the page's heap stayed small.
      const serverGrowth = (await peakResidentBytes(keyring.pid)) - serverPeakBefore;
      expect(serverGrowth).toBeLessThan(size / 2);
      const pageHeap = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
      expect(pageHeap).toBeLessThan(100 * 1024 * 1024);
      console.log(`large export: server peak RSS +${(serverGrowth / 1024 / 1024).toFixed(0)} MiB; page heap ${(pageHeap / 1024 / 1024).toFixed(0)} MiB`);
    } finally {
      await download.delete();
    }
  }, 240_000);

  /**
   * Appends EVENTS padded events to the organization's keyed chain, as the server would have MACed them, in a
   * child process (the seeding module is ESM, and the console's projects may not import a database driver).
   * Answers the newest event's seq and hash.
   */
  async function seed(): Promise<{ seq: number; hash: string }> {
    const script = `
      import pg from 'pg';
      import { seedAuditChain } from ${JSON.stringify(join(ROOT, 'tools/lib/audit-seed.mjs'))};
      const db = new pg.Client({ connectionString: process.env.SEED_DATABASE_URL });
      await db.connect();
      const masterKey = { id: process.env.SEED_KEY_ID, key: Buffer.from(process.env.SEED_KEY, 'base64') };
      await seedAuditChain(db, { orgId: process.env.SEED_ORG_ID, count: ${EVENTS}, masterKey, spreadSeconds: 3600, details: { padding: 'x'.repeat(${PADDING}) } });
      const { rows: [head] } = await db.query('SELECT seq::int AS seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1', [process.env.SEED_ORG_ID]);
      console.log(JSON.stringify(head));
      await db.end();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, SEED_DATABASE_URL: keyring.ownerDatabaseUrl(), SEED_ORG_ID: organizationId, SEED_KEY_ID: MASTER_KEY.id, SEED_KEY: MASTER_KEY.key.toString('base64') },
    });
    return JSON.parse(stdout) as { seq: number; hash: string };
  }
});

/** The highest resident memory the process has had (VmHWM), in bytes. */
async function peakResidentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** `bytes` of the file from its start, or the last `bytes` of it. */
async function readPart(path: string, where: 'start' | 'end', bytes: number): Promise<string> {
  const file = await open(path);
  try {
    const position = where === 'start' ? 0 : Math.max(0, (await file.stat()).size - bytes);
    const { buffer, bytesRead } = await file.read(Buffer.alloc(bytes), 0, bytes, position);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}
