import { appendEvents } from '../../test/audit-fixtures';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startNdjsonReceiver, startSyslogReceiver } from '../../test/stream-receivers';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';
import { AuditKeys } from '../audit/audit-keys';

const EVENTS = 10_000;

/** How long a backlog of 10,000 events takes to reach a local receiver (issue #17's benchmark size), each kind. */
describe('audit stream throughput (real app, local receivers)', () => {
  let keyring: TestApp;
  let owner: Session;
  beforeAll(async () => {
    keyring = await startTestApp();
    ({ owner } = await completeSetup(keyring));
  });
  afterAll(() => keyring.close());

  it.each(['syslog', 'https'] as const)('%s: 10,000 events reach the receiver in order, within 60 s', async (kind) => {
    // An organization of its own per kind: the backlog is its chain alone.
    const organizationId = (await owner.request('POST', '/api/v1/orgs', { body: { name: `Throughput ${kind}` } })).body.id as string;
    const syslog = kind === 'syslog' ? await startSyslogReceiver() : null;
    const https = kind === 'https' ? await startNdjsonReceiver() : null;
    const url = syslog ? `tcp://127.0.0.1:${syslog.port}` : https!.url;
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/audit-streams`, { body: { kind, url } });
    expect(created.status).toBe(201);
    const target = created.body.startSeq + 1 + EVENTS;
    await timeUntil(() => owner.request('GET', `/api/v1/orgs/${organizationId}/audit-streams/${created.body.id}`), (r) => r.body.deliveredSeq === created.body.startSeq + 1, 10_000);

    await appendEvents(keyring.db, keyring.app.get(AuditKeys), organizationId, EVENTS);
    const started = performance.now();
    const seqsOf = (lines: string[]) => lines.map((line) => JSON.parse(line) as { seq?: number }).flatMap((line) => (line.seq === undefined ? [] : [line.seq]));
    const received = () =>
      syslog
        ? seqsOf(syslog.messages.filter((message) => message.msgId === 'audit').map((message) => message.msg))
        : seqsOf(https!.batches.flatMap((batch) => batch.body.trimEnd().split('\n')));
    // A cheap probe (the newest line only), so that the receiver's checks do not slow Keyring down in this process.
    const newest = () => {
      const last = syslog ? syslog.messages.at(-1)?.msg : https!.batches.at(-1)?.body.trimEnd().split('\n').at(-1);
      return last ? ((JSON.parse(last) as { seq?: number }).seq ?? 0) : 0;
    };
    await timeUntil(async () => newest(), (seq) => seq >= target, 60_000);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`audit stream ${kind}: ${EVENTS} events delivered in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds)} events/s)\n`);
    const seqs = received();
    expect(seqs.slice(-EVENTS)).toEqual(Array.from({ length: EVENTS }, (_, i) => target - EVENTS + 1 + i));
    await syslog?.stop();
    await https?.close();
  }, 120_000);
});
