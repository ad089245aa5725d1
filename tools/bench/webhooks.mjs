#!/usr/bin/env node
// Webhooks benchmark (#17): BENCH_WEBHOOK_EVENTS (10,000) events delivered to a local receiver — how long, and the
// tenant API's throughput meanwhile (autocannon on POST /api/v1/widgets/:id/user-hash, 50 connections) against the
// same load without deliveries, as a ratio (target >= 95 %). Keyring's production build on its own embedded
// PostgreSQL, one instance, the receiver (a node:http server answering 200 at once, in its own process) allowed by
// KEYRING_WEBHOOK_ALLOWED_HOSTS. The events are committed into the outbox by SQL, all at once (as N committed audit
// events would leave it), while the webhook is off; then windows of load without deliveries and with them (the
// webhook on, the instance woken by the NOTIFY a commit sends) alternate until every event has arrived. The time is
// that of the windows with deliveries.
// Usage: npm run build && node tools/bench/webhooks.mjs   (BENCH_WEBHOOK_EVENTS=500 BENCH_SECONDS=3 for a quick run)
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { freePort, prepare, startKeyring } from '../lib/keyring-server.mjs';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DURING_SECONDS = 3 * SECONDS;
const CONCURRENCY = process.env.BENCH_WEBHOOK_CONCURRENCY ?? '8';
const SECRET = 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b';

// The receiver, in its own process: counts distinct webhook-ids (a repeat would be an at-least-once duplicate).
const here = new URL('.', import.meta.url).pathname;
const receiverPort = await freePort();
const receiver = fork(join(here, 'servers', 'webhook-receiver.mjs'), [], { env: { ...process.env, PORT: String(receiverPort) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
await new Promise((resolve) => receiver.once('message', resolve));
const receiverUrl = `http://127.0.0.1:${receiverPort}/hook`;
const received = () => new Promise((resolve) => {
  receiver.once('message', resolve);
  receiver.send('count');
});

const keyring = await startKeyring('bench-webhooks', {
  KEYRING_RATE_LIMIT_PER_MINUTE: '1000000000',
  KEYRING_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  KEYRING_WEBHOOK_CONCURRENCY: CONCURRENCY,
  ...(process.env.BENCH_WEBHOOK_BUSY_RATE && { KEYRING_WEBHOOK_BUSY_RATE: process.env.BENCH_WEBHOOK_BUSY_RATE }),
});
try {
  const { call, session, orgId, widgetId, apiKey } = await prepare(keyring, SECRET);
  const hook = await call('POST', `/api/v1/orgs/${orgId}/webhooks`, { url: receiverUrl, events: ['api_key.revoked'] }, session);
  if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${JSON.stringify(hook.json)}`);
  const db = new pg.Client({ connectionString: keyring.databaseUrl });
  await db.connect();

  const load = (seconds) => {
    let instance;
    const result = new Promise((resolve, reject) => {
      instance = autocannon(
        {
          url: `${keyring.base}/api/v1/widgets/${widgetId}/user-hash`,
          method: 'POST',
          connections: 50,
          duration: seconds,
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ userIdentifier: 'visitor@client.example' }),
        },
        (error, done) => (error ? reject(error) : resolve(done)),
      );
    });
    return { result, stop: () => instance.stop() };
  };
  const succeeded = async () => (await db.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'succeeded'")).rows[0].n;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const hookId = hook.json.webhook.id;
  /** The webhook on (its backlog is claimed at once: the NOTIFY an event's commit sends wakes the instance) or off. */
  const deliver = async (on) => {
    await db.query('UPDATE webhooks SET disabled_at = $2 WHERE id = $1', [hookId, on ? null : new Date()]);
    if (on) await db.query('SELECT pg_notify($1, $2)', ['keyring_changes', JSON.stringify({ kind: 'webhook-deliveries', id: orgId })]);
  };

  await load(3).result; // warm-up
  // The backlog, committed while the webhook is off: nothing goes out before the first window with deliveries.
  await deliver(false);
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, organization_id, event_type, payload, retry_until)
     SELECT $1, $2, 'api_key.revoked', json_build_object('type', 'api_key.revoked', 'timestamp', now(), 'data', json_build_object('n', i))::text, now() + interval '1 day'
       FROM generate_series(1, $3) i`,
    [hookId, orgId, EVENTS],
  );
  // Windows without deliveries and with them, alternated until every event is in (the machine's drift over minutes
  // is larger than the effect measured, so each kind gets its share of every stretch of time). The receiver is
  // asked, not the database: a count every few ms would load the database the API shares.
  const rps = { without: [], during: [] };
  let deliveringMs = 0;
  while ((await received()).distinct < EVENTS) {
    rps.without.push((await load(SECONDS).result).requests.average);
    const window = load(DURING_SECONDS);
    await sleep(100); // the connections open
    const started = performance.now();
    await deliver(true);
    let open = true;
    const endsEarly = (async () => {
      while (open && (await received()).distinct < EVENTS) await sleep(100);
      window.stop();
    })();
    rps.during.push((await window.result).requests.average);
    open = false;
    await endsEarly;
    await deliver(false);
    deliveringMs += performance.now() - started;
  }
  rps.without.push((await load(SECONDS).result).requests.average);
  while ((await succeeded()) < EVENTS) await sleep(20); // recorded, too
  const seconds = deliveringMs / 1000;
  const [{ failed }] = (await db.query("SELECT count(*)::int AS failed FROM webhook_deliveries WHERE status <> 'succeeded'")).rows;
  await db.end();

  const { distinct, repeats } = await received();
  const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const ratio = mean(rps.during) / mean(rps.without);
  console.log(`webhooks: ${EVENTS} events delivered in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds)}/s, concurrency ${CONCURRENCY}); received ${distinct} distinct, ${repeats} repeats, ${failed} not succeeded`);
  console.log(
    `tenant API: ${Math.round(mean(rps.without))} req/s without (${rps.without.length} windows of ${SECONDS} s), ${Math.round(mean(rps.during))} req/s while delivering (${rps.during.length} windows of up to ${DURING_SECONDS} s): ${(ratio * 100).toFixed(1)} %  (target >= 95 %) ${ratio >= 0.95 ? 'ok' : 'UNDER'}`,
  );
  console.log(`  windows without: ${rps.without.map(Math.round).join(', ')}; with deliveries: ${rps.during.map(Math.round).join(', ')}`);
  if (distinct !== EVENTS) process.exitCode = 1;
} finally {
  await keyring.stop();
  receiver.kill('SIGTERM');
}
