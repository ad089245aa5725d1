#!/usr/bin/env node
// Webhooks benchmark (#17): BENCH_WEBHOOK_EVENTS (10,000) events delivered to a local receiver — how long, and the
// tenant API's throughput meanwhile (autocannon on POST /api/v1/widgets/:id/user-hash, 50 connections) against the
// same load without deliveries, as a ratio (target >= 95 %). Keyring's production build on its own embedded
// PostgreSQL, one instance, the receiver (a node:http server answering 200 at once) allowed by
// KEYRING_WEBHOOK_ALLOWED_HOSTS. The events are committed into the outbox by SQL, all at once (as N committed audit
// events would leave it), and the instance is woken by the NOTIFY an event's commit sends; the time runs from that
// commit to the last delivery recorded as succeeded.
// Usage: npm run build && node tools/bench/webhooks.mjs   (BENCH_WEBHOOK_EVENTS=500 BENCH_SECONDS=3 for a quick run)
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { freePort, prepare, startKeyring } from '../lib/keyring-server.mjs';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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

  await load(3).result; // warm-up
  const without = await load(SECONDS).result;

  // The load runs for as long as the deliveries take (at most 10 minutes), then stops.
  const during = load(600);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the connections open
  const started = performance.now();
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, organization_id, event_type, payload, retry_until)
     SELECT $1, $2, 'api_key.revoked', json_build_object('type', 'api_key.revoked', 'timestamp', now(), 'data', json_build_object('n', i))::text, now() + interval '1 day'
       FROM generate_series(1, $3) i`,
    [hook.json.webhook.id, orgId, EVENTS],
  );
  await db.query('SELECT pg_notify($1, $2)', ['keyring_changes', JSON.stringify({ kind: 'webhook-deliveries', id: orgId })]);
  await db.query('COMMIT');
  while ((await succeeded()) < EVENTS) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - started) / 1000;
  during.stop();
  const meanwhile = await during.result;
  const [{ failed }] = (await db.query("SELECT count(*)::int AS failed FROM webhook_deliveries WHERE status <> 'succeeded'")).rows;
  await db.end();

  const { distinct, repeats } = await received();
  const ratio = meanwhile.requests.average / without.requests.average;
  console.log(`webhooks: ${EVENTS} events delivered in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds)}/s, concurrency ${CONCURRENCY}); received ${distinct} distinct, ${repeats} repeats, ${failed} not succeeded`);
  console.log(
    `tenant API: ${Math.round(without.requests.average)} req/s without, ${Math.round(meanwhile.requests.average)} req/s while delivering: ${(ratio * 100).toFixed(1)} %  (target >= 95 %) ${ratio >= 0.95 ? 'ok' : 'UNDER'}; p99 ${without.latency.p99} / ${meanwhile.latency.p99} ms; non-2xx ${without.non2xx} / ${meanwhile.non2xx}`,
  );
  if (distinct !== EVENTS) process.exitCode = 1;
} finally {
  await keyring.stop();
  receiver.kill('SIGTERM');
}
