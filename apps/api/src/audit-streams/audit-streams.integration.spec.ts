import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMember, completeSetup, OWNER, signIn, type Session } from '../../test/identity-fixtures';
import { startNdjsonReceiver, startSyslogReceiver, type SyslogMessage } from '../../test/stream-receivers';
import { startTestApp, type TestApp } from '../../test/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/test-database';
import { timeUntil } from '../../test/time-until';
import { auditVerifyOffline } from '../cli/audit-verify';
import { AuditStreamWorker } from './audit-stream-worker';

/** How long the syslog receiver stays down in the outage test (issue #17: 10 s). */
const OUTAGE_MS = 10_000;

describe('audit streams (real app, real PostgreSQL, real receivers)', () => {
  let db: TestDatabase;
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let admin: Session;
  let auditor: Session;
  let operator: Session;
  let scopedAdmin: Session;
  let folder: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    keyring = await startTestApp({}, db);
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    admin = await addMember(keyring, owner, orgId, 'admin@agency.example', 'admin');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    const tenant = await owner.request('POST', `/api/v1/orgs/${orgId}/tenants`, { body: { name: 'Tenant B' } });
    scopedAdmin = await addMember(keyring, owner, orgId, 'scoped@agency.example', 'admin', [tenant.body.id]);
    folder = await mkdtemp(join(tmpdir(), 'keyring-streams-'));
  });
  afterAll(async () => {
    await keyring.close();
    await db.drop();
    await rm(folder, { recursive: true, force: true });
  });

  const streams = (session: Session, method: string, path = '', body?: unknown) =>
    session.request(method, `/api/v1/orgs/${orgId}/audit-streams${path}`, body === undefined ? {} : { body });
  const headSeq = async () => (await db.query<{ seq: number }>('SELECT max(seq)::int AS seq FROM audit_events WHERE organization_id = $1', [orgId]))[0].seq;
  let tenants = 0;
  /** Writes `count` audit events (tenant.created) as the owner. */
  const act = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const created = await owner.request('POST', `/api/v1/orgs/${orgId}/tenants`, { body: { name: `Streamed ${++tenants}` } });
      expect(created.status).toBe(201);
    }
  };
  /** Runs the offline verifier (the CLI's `audit-verify --export … --jwks …`) on a receiver's copy. */
  const verifyOffline = async (name: string, copy: string) => {
    const exportFile = join(folder, `${name}.ndjson`);
    const jwksFile = join(folder, `${name}-keys.json`);
    await writeFile(exportFile, copy);
    await writeFile(jwksFile, (await keyring.request('GET', '/.well-known/keyring-audit-keys.json')).text);
    const output: string[] = [];
    const code = await auditVerifyOffline({ exportFile, jwksFile, checkpointFiles: [] }, (line) => output.push(line));
    return { code, output };
  };

  it('refuses bad input with a 400 naming the field, and a second stream to the same receiver with a 409', async () => {
    const refused = async (body: unknown, field: string, message: string) => {
      const response = await streams(admin, 'POST', '', body);
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:keyring:problem:validation');
      expect(response.body.errors).toContainEqual({ field, message });
      return response;
    };
    await refused({ url: 'tcp://siem.example:514' }, 'kind', 'kind must be one of syslog, https');
    await refused({ kind: 'kafka', url: 'tcp://siem.example:514' }, 'kind', 'kind must be one of syslog, https');
    await refused({ kind: 'syslog' }, 'url', 'url must be a string');
    await refused({ kind: 'syslog', url: 'siem.example:514' }, 'url', 'url must be tcp://host:port or tls://host:port for syslog');
    await refused({ kind: 'syslog', url: 'https://siem.example/' }, 'url', 'url must be tcp://host:port or tls://host:port for syslog');
    await refused({ kind: 'syslog', url: 'tcp://siem.example' }, 'url', 'url must name a host and a port, as in tcp://host:514');
    await refused({ kind: 'syslog', url: 'tcp://siem.example:514/logs' }, 'url', 'url must be only tcp://host:port or tls://host:port, no path');
    await refused({ kind: 'https', url: 'tcp://siem.example:514' }, 'url', 'url must be an https:// URL');
    await refused({ kind: 'https', url: 'http://siem.example/ingest' }, 'url', 'url must be an https:// URL (http:// only to localhost, outside production)');
    const withPassword = await refused({ kind: 'https', url: 'https://ingest:hunter2@siem.example/' }, 'url', 'url must not hold credentials (user:password@)');
    expect(withPassword.text).not.toContain('hunter2');
    const unknown = await streams(admin, 'POST', '', { kind: 'https', url: 'https://siem.example/', token: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toContainEqual({ field: 'token', message: 'property token should not exist' });

    const first = await streams(admin, 'POST', '', { kind: 'syslog', url: 'tcp://127.0.0.1:9' });
    expect(first.status).toBe(201);
    const again = await streams(owner, 'POST', '', { kind: 'syslog', url: 'tcp://127.0.0.1:9' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: 'urn:keyring:problem:audit-stream-exists', detail: 'The audit log already streams to tcp://127.0.0.1:9.' });
    expect((await streams(owner, 'DELETE', `/${first.body.id}`)).status).toBe(204);
  });

  it('lets owners and admins manage streams and auditors read them; never an operator or a member limited to some tenants', async () => {
    expect((await streams(operator, 'POST', '', { kind: 'syslog', url: 'tcp://127.0.0.1:9' })).body.type).toBe('urn:keyring:problem:role-forbidden');
    expect((await streams(operator, 'GET')).status).toBe(403);
    const limited = await streams(scopedAdmin, 'POST', '', { kind: 'syslog', url: 'tcp://127.0.0.1:9' });
    expect(limited.status).toBe(403);
    expect(limited.body).toMatchObject({ type: 'urn:keyring:problem:audit-stream-tenant-limited' });
    expect((await streams(scopedAdmin, 'GET')).status).toBe(403);
    const created = await streams(admin, 'POST', '', { kind: 'syslog', url: 'tcp://127.0.0.1:9' });
    expect((await streams(auditor, 'GET', `/${created.body.id}`)).status).toBe(200);
    expect((await streams(auditor, 'DELETE', `/${created.body.id}`)).status).toBe(403);
    expect((await streams(admin, 'DELETE', `/${created.body.id}`)).status).toBe(204);
    expect((await streams(admin, 'GET', `/${created.body.id}`)).body).toMatchObject({ status: 404, type: 'urn:keyring:problem:audit-stream-not-found' });
    expect((await streams(admin, 'DELETE', `/${created.body.id}`)).status).toBe(404);
    expect((await streams(admin, 'GET', '/not-a-uuid')).status).toBe(404);

    const trail = await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?targetId=${created.body.id}`);
    expect(trail.body.items.map((event: { action: string; details: object }) => [event.action, event.details])).toEqual([
      ['audit_stream.deleted', { kind: 'syslog', origin: 'tcp://127.0.0.1:9', deliveredSeq: created.body.deliveredSeq }],
      ['audit_stream.created', { kind: 'syslog', origin: 'tcp://127.0.0.1:9' }],
    ]);
  });

  it('syslog: every event from the creation on, octet-counted RFC 5424, in order and none lost across a 10 s outage and a restart', async () => {
    const receiver = await startSyslogReceiver();
    const created = await streams(admin, 'POST', '', { kind: 'syslog', url: `tcp://127.0.0.1:${receiver.port}` });
    expect(created.status === 201 || keyring.logs.filter((line) => line.includes('"level":50')).join('\n')).toBe(true);
    const stream = created.body;
    // The creation is the stream's first event.
    expect(stream).toMatchObject({ kind: 'syslog', url: `tcp://127.0.0.1:${receiver.port}`, deliveredSeq: stream.startSeq, lag: 1, lastError: null });
    const auditSeqs = () => receiver.messages.filter((message) => message.msgId === 'audit').map((message) => JSON.parse(message.msg).seq as number);
    const received = async (upto: number) => timeUntil(async () => Math.max(0, ...auditSeqs()), (seq) => seq >= upto, 30_000);

    await act(3);
    await received(await headSeq());
    expect(receiver.messages[0].msgId).toBe('checkpoint');
    // Counted delivered once the connection held (SETTLE_MS), and it keeps going after that.
    const settled = await headSeq();
    await timeUntil(() => streams(auditor, 'GET', `/${stream.id}`), (response) => response.body.deliveredSeq === settled, 10_000);
    await act(2);
    await received(await headSeq());

    // The receiver goes down for 10 s; meanwhile events are written and Keyring restarts once.
    await receiver.stop();
    const downAt = Date.now();
    await act(3);
    const failing = await timeUntil(() => streams(auditor, 'GET', `/${stream.id}`), (response) => response.body.lastError !== null, 8_000)
      .then(() => streams(auditor, 'GET', `/${stream.id}`));
    expect(failing.body).toMatchObject({ lastError: expect.stringMatching(/ECONNREFUSED|ECONNRESET|closed the connection/), lastErrorAt: expect.any(String) });
    expect(failing.body.lag).toBeGreaterThanOrEqual(3);

    await keyring.close();
    keyring = await startTestApp({}, db);
    owner = await signIn(keyring, OWNER.email, OWNER.password);
    admin = await signIn(keyring, 'admin@agency.example', 'admin-password-harbor-7');
    auditor = await signIn(keyring, 'auditor@agency.example', 'auditor-password-harbor-7');
    await act(3);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    expect(Date.now() - downAt).toBeGreaterThanOrEqual(OUTAGE_MS);
    await receiver.start();
    // A checkpoint taken now is sent after the event it covers.
    const checkpoint = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events/checkpoint`);
    await act(2);
    await received(await headSeq());

    // The receiver crashes with messages Keyring wrote in its buffers (written, never taken in): they go again.
    receiver.dropping = true;
    await act(2);
    await timeUntil(async () => receiver.dropped, (dropped) => dropped >= 2, 10_000);
    await receiver.stop();
    receiver.dropping = false;
    await receiver.start();
    await act(1);
    const head = await headSeq();
    await received(head);
    await timeUntil(() => streams(auditor, 'GET', `/${stream.id}`), (response) => response.body.deliveredSeq === head, 15_000);
    await receiver.stop();

    expect(receiver.errors).toEqual([]);
    expect(receiver.connections).toBeGreaterThanOrEqual(3);
    // In order, at least once, never a gap: each event is the next one or a repeat of one already received.
    let newest = stream.startSeq as number;
    for (const seq of auditSeqs()) {
      expect(seq).toBeLessThanOrEqual(newest + 1);
      newest = Math.max(newest, seq);
    }
    expect(newest).toBe(head);
    expect(new Set(auditSeqs()).size).toBe(head - stream.startSeq);

    const events = (await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events/export?format=ndjson`)).text
      .split('\n').filter(Boolean).map((line) => JSON.parse(line) as { seq: number; occurredAt: string; action: string; outcome: string });
    for (const message of receiver.messages) expectRfc5424(message, orgId, events);
    expect(receiver.messages.filter((message) => message.msgId === 'checkpoint').map((message) => JSON.parse(message.msg).checkpoint)).toContain(checkpoint.body.checkpoint);

    const copy = receiver.messages.map((message) => `${message.msg}\n`).join('');
    const verified = await verifyOffline('syslog', copy);
    const checkpoints = receiver.messages.filter((message) => message.msgId === 'checkpoint').length;
    expect(verified.output[0]).toBe(`ok      ${stream.startSeq + 1} to ${head} events of organization ${orgId}: linked, and matching ${checkpoints} signed checkpoint(s).`);
    expect(verified.code).toBe(0);
    // A resend after a reconnect (the same lines again) still verifies; a "repeat" that differs does not.
    const lines = copy.trimEnd().split('\n');
    expect(await verifyOffline('syslog-resent', [...lines.slice(0, 8), ...lines.slice(4, 8), ...lines.slice(8)].join('\n'))).toMatchObject({ code: 0 });
    const changed = lines[7].replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'f'.repeat(64)}"`);
    expect(changed).not.toBe(lines[7]);
    expect(await verifyOffline('syslog-rewritten', [...lines.slice(0, 8), changed, ...lines.slice(8)].join('\n'))).toMatchObject({ code: 1 });
    // The verifier is not fooled by a copy with an event left out.
    const dropped = copy.split('\n').filter((line) => !line.includes(`"seq":${head - 2},`)).join('\n');
    expect(await verifyOffline('syslog-gap', dropped)).toMatchObject({ code: 1, output: [`BROKEN  Event ${head - 2} is missing. (${head - 3} events before it hold)`] });
    expect((await streams(admin, 'DELETE', `/${stream.id}`)).status).toBe(204);
  }, 90_000);

  it('two instances on one database: one sends a stream at a time, and the other takes over when it stops', async () => {
    let second: TestApp | null = await startTestApp({}, db);
    const receiver = await startSyslogReceiver();
    try {
      const created = await streams(admin, 'POST', '', { kind: 'syslog', url: `tcp://127.0.0.1:${receiver.port}` });
      const seqs = () => receiver.messages.filter((message) => message.msgId === 'audit').map((message) => JSON.parse(message.msg).seq as number);
      await act(3);
      await timeUntil(async () => Math.max(0, ...seqs()), (seq) => seq === created.body.startSeq + 4, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // both instances polled a few times meanwhile
      expect(receiver.connections).toBe(1);
      const [{ lease_holder: holder }] = await db.query<{ lease_holder: string }>('SELECT lease_holder FROM audit_streams WHERE id = $1', [created.body.id]);
      const [sending, other] = keyring.app.get(AuditStreamWorker).holder === holder ? [keyring, second] : [second, keyring];
      second = null; // from here on, one of the two is closed below and the other is `keyring`
      expect(other.app.get(AuditStreamWorker).holder).not.toBe(holder);

      // The instance sending it stops: the other one resumes from the cursor.
      await sending.close();
      if (sending === keyring) {
        keyring = other;
        owner = await signIn(keyring, OWNER.email, OWNER.password);
        admin = await signIn(keyring, 'admin@agency.example', 'admin-password-harbor-7');
        auditor = await signIn(keyring, 'auditor@agency.example', 'auditor-password-harbor-7');
      }
      await act(2);
      const head = await headSeq();
      await timeUntil(async () => Math.max(0, ...seqs()), (seq) => seq === head, 15_000);
      expect(receiver.connections).toBe(2);
      let newest = created.body.startSeq as number;
      for (const seq of seqs()) {
        expect(seq).toBeLessThanOrEqual(newest + 1);
        newest = Math.max(newest, seq);
      }
      const [{ lease_holder: taker }] = await db.query<{ lease_holder: string }>('SELECT lease_holder FROM audit_streams WHERE id = $1', [created.body.id]);
      expect(taker).toBe(other.app.get(AuditStreamWorker).holder);
      expect((await streams(admin, 'DELETE', `/${created.body.id}`)).status).toBe(204);
    } finally {
      await second?.close();
      await receiver.stop();
    }
  }, 60_000);

  it('https: NDJSON batches, retried while the receiver fails, the copy verifies offline; deleting the stream stops it', async () => {
    const receiver = await startNdjsonReceiver();
    receiver.failWith = 503;
    // A receiver's token in its URL: the stream keeps it (it must send there), the audit log keeps the origin only.
    const url = `${receiver.url}?token=stream-leak-marker`;
    const created = await streams(owner, 'POST', '', { kind: 'https', url });
    expect(created.status).toBe(201);
    const stream = created.body;
    const trail = await owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?targetId=${stream.id}`);
    expect(trail.body.items).toEqual([expect.objectContaining({ action: 'audit_stream.created', details: { kind: 'https', origin: new URL(receiver.url).origin } })]);
    expect(trail.text).not.toContain('stream-leak-marker');
    await act(2);
    await timeUntil(async () => receiver.refused, (refused) => refused >= 2, 10_000);
    const failing = await streams(auditor, 'GET', `/${stream.id}`);
    expect(failing.body).toMatchObject({ deliveredSeq: stream.startSeq, lag: 3, lastError: 'the receiver answered HTTP 503' });

    receiver.failWith = null;
    await act(2);
    await timeUntil(() => streams(auditor, 'GET', `/${stream.id}`), (response) => response.body.lastError === null, 15_000);
    // It keeps going after a delivery: later events follow in later batches.
    const batchesBefore = receiver.batches.length;
    await act(2);
    const head = await headSeq();
    await timeUntil(() => streams(auditor, 'GET', `/${stream.id}`), (response) => response.body.deliveredSeq === head, 15_000);
    expect(receiver.batches.length).toBeGreaterThan(batchesBefore);
    const status = await streams(auditor, 'GET', `/${stream.id}`);
    expect(status.body).toMatchObject({ id: stream.id, kind: 'https', url, startSeq: stream.startSeq, deliveredSeq: head, lag: 0, lastError: null, lastErrorAt: null });
    expect(status.body.lastDeliveredAt).toEqual(expect.any(String));
    const list = await streams(auditor, 'GET');
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: stream.id, deliveredSeq: head }));

    for (const batch of receiver.batches) {
      expect(batch.headers['content-type']).toBe('application/x-ndjson');
      expect(batch.headers['keyring-organization-id']).toBe(orgId);
    }
    const copy = receiver.batches.map((batch) => batch.body).join('');
    const lines = copy.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ checkpoint: expect.any(String) });
    expect(lines.filter((line) => 'seq' in line).map((line) => line.seq)).toEqual(Array.from({ length: head - stream.startSeq }, (_, i) => stream.startSeq + 1 + i));
    expect(await verifyOffline('https', copy)).toMatchObject({ code: 0 });

    expect((await streams(owner, 'DELETE', `/${stream.id}`)).status).toBe(204);
    const batches = receiver.batches.length;
    await act(2);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(receiver.batches.length).toBe(batches);
    await receiver.close();
  }, 60_000);
});

/** The RFC 5424 header Keyring writes: log audit facility, the event's time and seq, `keyring`, MSGID by kind. */
function expectRfc5424(message: SyslogMessage, orgId: string, events: { seq: number; occurredAt: string; action: string; outcome: string }[]): void {
  expect(message).toMatchObject({ version: 1, appName: 'keyring', procId: expect.stringMatching(/^\d+$/), bom: true });
  if (message.msgId === 'checkpoint') {
    expect(message.pri).toBe(13 * 8 + 6);
    expect(message.structuredData).toMatch(new RegExp(`^\\[keyring@32473 org="${orgId}" seq="\\d+"\\]$`));
    return;
  }
  expect(message.msgId).toBe('audit');
  const event = JSON.parse(message.msg) as { seq: number; hash: string; prevHash: string; keyId: string };
  const stored = events.find((candidate) => candidate.seq === event.seq)!;
  expect(event).toEqual(stored);
  expect(message.timestamp).toBe(stored.occurredAt);
  expect(message.pri).toBe(13 * 8 + (stored.outcome === 'success' ? 6 : 5));
  expect(message.structuredData).toBe(`[keyring@32473 org="${orgId}" seq="${event.seq}" action="${stored.action}" outcome="${stored.outcome}"]`);
}
