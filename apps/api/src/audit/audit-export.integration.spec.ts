import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { AuditRepository } from './audit.repository';

/**
 * The export is read from the database batch by batch at the pace the client takes it (the console lets the browser
 * download it straight to disk, whatever its size). Seeded rows go in as the owner, with padded details (their
 * hashes are no valid chain: this suite reads the export, it does not verify).
 */
describe('audit export as a stream (real app, real PostgreSQL)', () => {
  const EVENTS = 40_000;
  const BATCHES = EVENTS / 2000; // AuditService reads 2000 events a query
  const PADDING = 'x'.repeat(1500); // ≈ 60 MB of NDJSON: more than every buffer between the database and the client
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let lastSeq: number;
  let pages: jest.SpyInstance;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    const [{ max }] = await keyring.db.query<{ max: number }>('SELECT max(seq)::int AS max FROM audit_events WHERE organization_id = $1', [orgId]);
    lastSeq = max + EVENTS;
    await keyring.db.query(
      `INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, action, outcome, details, prev_hash, hash)
       SELECT $1, $2 + i, now(), 'system', 'seeded.padded', 'success', jsonb_build_object('i', i, 'padding', $3::text), 'x', 'x'
         FROM generate_series(1, $4) AS i`,
      [orgId, max, PADDING, EVENTS],
    );
    pages = jest.spyOn(keyring.app.get(AuditRepository), 'page');
  }, 60_000);
  afterEach(() => pages.mockClear());
  afterAll(() => keyring.close());

  const exportResponse = () => fetch(`${keyring.baseUrl}/api/v1/orgs/${orgId}/audit-events/export?format=ndjson`, { headers: { cookie: owner.cookie } });
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Reads the export to its end, keeping only the count of lines and the last one. */
  async function readAll(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let chunks = 0;
    let lines = 0;
    let last = '';
    let pending = '';
    const reader = body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks += 1;
      const split = (pending + decoder.decode(read.value, { stream: true })).split('\n');
      pending = split.pop()!;
      lines += split.length;
      if (split.length > 0) last = split[split.length - 1];
    }
    return { chunks, lines, last, pending };
  }

  it('sends every event, the newest last, read batch by batch', async () => {
    const response = await exportResponse();
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="audit-${orgId}.ndjson"`);
    const { chunks, lines, last, pending } = await readAll(response.body!);
    expect(pending).toBe('');
    expect(lines).toBeGreaterThan(EVENTS);
    expect(JSON.parse(last)).toMatchObject({ seq: lastSeq, action: 'seeded.padded', details: { i: EVENTS } });
    expect(chunks).toBeGreaterThan(100);
    expect(pages).toHaveBeenCalledTimes(BATCHES + 1);
  }, 60_000);

  it('reads no further than the client takes, and stops reading when the client goes away', async () => {
    const response = await exportResponse();
    const reader = response.body!.getReader();
    await reader.read();
    await settle(1000); // the client reads nothing more: the buffers on the way fill up, then the server waits
    const whilePaused = pages.mock.calls.length;
    expect(whilePaused).toBeLessThan(BATCHES / 2);
    await reader.cancel();
    await settle(1000);
    expect(pages.mock.calls.length).toBeLessThanOrEqual(whilePaused + 1);
    // The server is no worse for it.
    expect((await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?limit=1`)).body.items[0].seq).toBe(lastSeq);
  }, 60_000);

  it('cuts the connection when reading fails half-way, so that the download fails instead of ending short', async () => {
    const throughToTheDatabase = function (this: AuditRepository, ...args: Parameters<AuditRepository['page']>) {
      return AuditRepository.prototype.page.apply(this, args);
    };
    pages.mockImplementationOnce(throughToTheDatabase).mockImplementationOnce(throughToTheDatabase).mockRejectedValueOnce(new Error('connection to the database lost'));
    const response = await exportResponse();
    expect(response.status).toBe(200);
    await expect(readAll(response.body!)).rejects.toThrow(/terminated/);
    expect(keyring.logs.join('\n')).toContain('audit export: download stopped: Error: connection to the database lost');
  }, 60_000);
});
