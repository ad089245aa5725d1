#!/usr/bin/env node
// Console benchmark at scale (#14): 1,000 tenants, 100k widgets each with an encrypted secret, a valid keyed audit
// chain of 1M events, 50 API keys and 30 days of usage, seeded through SQL into the production build of Keyring.
// Then, with 50 console users at once (over a few sessions, each a request about every second, not in step),
// each console endpoint is timed on its own (p50/p95/p99, target p95 < 100 ms), beside GET /healthz under the same
// load (the HTTP floor), one user alone, and the capacity (the 50 connections with no pause: req/s); the whole
// NDJSON export is streamed once (MB/s); and the tenant API is loaded right after a restart with random (widget,
// key) pairs: req/s in each of the first 10 s against warm (target >= 50 % within 2 s), and warm spread traffic
// against one hot widget (target within 10 %).
// Runs on the embedded PostgreSQL and, when BENCH_DATABASE_URL names a server (unset: the machine's PostgreSQL at
// 127.0.0.1:5432 if it answers; empty: none), on a fresh database there too.
// Usage: npm run build && node tools/bench/console.mjs   (BENCH_WIDGETS, BENCH_EVENTS, BENCH_SECONDS: a quick run;
// BENCH_EMBEDDED=0: the DATABASE_URL server only; BENCH_PARTS: some parts only; BENCH_HOT_TENANTS=100: tenant API
// traffic over 10,000 widgets; BENCH_KEEP=1: keep each server until Ctrl-C, to EXPLAIN)
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { markVerified, seedAuditChain } from '../lib/audit-seed.mjs';
import { freshDatabase, postgresVersion, reachable } from '../lib/bench-database.mjs';
import { WORDS, seedSecretVersions, seedTenantsAndWidgets } from '../lib/bench-seed.mjs';
import { setUp, signIn, startKeyring } from '../lib/keyring-server.mjs';
import { summarize } from '../lib/latency.mjs';

const WIDGETS = Number(process.env.BENCH_WIDGETS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CAPACITY_SECONDS = Math.max(2, Math.round(SECONDS / 3));
const USERS = 50;
/** BENCH_PARTS=tenant-api (or any of console, export, tenant-api, comma-separated): only those. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'console,export,tenant-api').split(','));
const SESSIONS = 10;
/** The tenant API's traffic: two keys in each of BENCH_HOT_TENANTS (20) tenants, over those tenants' widgets (100 each). */
const HOT_TENANTS = Math.min(Number(process.env.BENCH_HOT_TENANTS ?? 20), WIDGETS / 100);
/** 50, or more when the traffic needs them: the keys of the traffic and ten more elsewhere. */
const API_KEYS = Math.max(50, 2 * HOT_TENANTS + 10);
const TARGET_P95_MS = 100;
const COLD_SECONDS = 40;
const WARM_FROM_SECOND = 30;

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const md5 = (i) => createHash('md5').update(String(i)).digest('hex');

const defaultServer = 'postgres://postgres@127.0.0.1:5432/postgres';
const externalUrl = process.env.BENCH_DATABASE_URL ?? ((await reachable('127.0.0.1', 5432)) ? defaultServer : '');
const runs = [...(process.env.BENCH_EMBEDDED === '0' ? [] : [null]), ...(externalUrl ? [externalUrl] : [])];

for (const adminUrl of runs) {
  const database = adminUrl ? await freshDatabase(adminUrl, `keyring_bench_${process.pid}`) : null;
  const keyring = await startKeyring('bench-console', {
    LOG_LEVEL: 'warn',
    KEYRING_RATE_LIMIT_PER_MINUTE: '1000000000',
    ...(database && { DATABASE_URL: database.url, DATABASE_MIGRATION_URL: database.migrationUrl }),
  });
  try {
    console.log(`\n=== ${await postgresVersion(keyring.databaseUrl)} (${database ? 'DATABASE_URL' : 'embedded'}) ===`);
    const fixture = await seed(keyring);
    if (PARTS.has('console')) await consoleEndpoints(keyring, fixture);
    if (PARTS.has('export')) await exportAll(keyring, fixture);
    if (PARTS.has('tenant-api')) await tenantApi(keyring, fixture);
    if (process.env.BENCH_KEEP) {
      // For EXPLAIN on the seeded data: stopped by Ctrl-C (SIGINT).
      console.log(`kept: ${keyring.base} organization ${fixture.orgId}, ${keyring.databaseUrl}, session ${JSON.stringify(fixture.sessions[0])}`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await keyring.stop();
    await database?.drop();
  }
  if (process.exitCode) break;
}
process.exit();

/** The organization, sessions, custody data, API keys, the audit chain and usage; what the timings need to know. */
async function seed(keyring) {
  const { call, session, orgId } = await setUp(keyring);
  const db = new pg.Client({ connectionString: keyring.databaseUrl });
  await db.connect();
  try {
    return await seedAll(keyring, db, { call, session, orgId });
  } finally {
    await db.end();
  }
}

async function seedAll(keyring, db, { call, session, orgId }) {
  console.log(`Seeding ${WIDGETS} widgets with secrets in ${WIDGETS / 100} tenants, ${EVENTS} audit events, ${API_KEYS} API keys, 30 days of usage…`);
  const steps = [];
  const step = async (label, work) => {
    const started = performance.now();
    const result = await work();
    steps.push(`${label} ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
  await step('widgets', () => seedTenantsAndWidgets(db, { orgId, widgets: WIDGETS }));
  // Activated over the last 120 days: with the 90-day rule a quarter are overdue, as in an install that rotates.
  await step('secrets', () => seedSecretVersions(db, { orgId, masterKey: keyring.masterKey, ageDays: 120 }));
  const tenantIds = (await db.query('SELECT id FROM tenants WHERE organization_id = $1 ORDER BY id', [orgId])).rows.map((row) => row.id);

  // API keys through the API (their audit events come before the seeded chain's).
  const keys = await step('API keys', async () => {
    const created = [];
    for (let i = 0; i < API_KEYS; i++) {
      const tenantId = i < 2 * HOT_TENANTS ? tenantIds[i % HOT_TENANTS] : tenantIds[(HOT_TENANTS + i) % tenantIds.length];
      const answer = await call('POST', `/api/v1/orgs/${orgId}/api-keys`, { name: `Backend ${i}`, tenantId, scopes: ['user-hash:issue'] }, session);
      if (answer.status !== 201) throw new Error(`API key: ${answer.status} ${JSON.stringify(answer.json)}`);
      created.push({ id: answer.json.apiKey.id, key: answer.json.key, tenantId });
    }
    return created;
  });
  const hotKeys = keys.slice(0, 2 * HOT_TENANTS);
  const { rows: hotWidgets } = await db.query('SELECT id, tenant_id AS "tenantId" FROM widgets WHERE tenant_id = ANY($1::uuid[]) ORDER BY id', [tenantIds.slice(0, HOT_TENANTS)]);

  await step('audit chain', () => seedAuditChain(db, { orgId, count: EVENTS, masterKey: keyring.masterKey, tenantIds: tenantIds.slice(0, 100) }));
  // Verified up to 1,000 events ago: the first verify walks those, the later ones what is new (incremental).
  await markVerified(db, { orgId, masterKey: keyring.masterKey, behind: 1000 });
  await step('usage', () => seedUsage(db, { orgId, widgets: hotWidgets, keys: hotKeys }));
  // As autovacuum leaves a database that has settled (the bulk load left, e.g., 100 dead versions of each tenant's
  // counter row): statistics and visibility maps.
  await step('VACUUM ANALYZE', () => db.query('VACUUM ANALYZE'));
  console.log(`  seeded: ${steps.join(', ')}`);

  const { rows: deepWidgets } = await db.query(
    `SELECT name, id FROM (SELECT name, id, row_number() OVER (ORDER BY lower(name), id) AS n FROM widgets WHERE organization_id = $1 AND archived_at IS NULL) x
      WHERE n % $2 = 0`,
    [orgId, Math.max(1, Math.floor(WIDGETS / 50))],
  );
  const sessions = [session];
  while (sessions.length < SESSIONS) sessions.push(await signIn(keyring));
  return { orgId, sessions, tenantIds, keys, hotKeys, hotWidgets, widgetCursors: deepWidgets.map((w) => cursor([w.name, w.id])) };
}

/**
 * Per-hour usage of the tenant API's widgets for 30 days, the days (per widget and per tenant) summed from it, and per-minute usage (per key)
 * for the last two hours, as UsageRecorder and UsageRollup leave them.
 */
async function seedUsage(db, { orgId, widgets, keys }) {
  const ids = widgets.map((w) => w.id);
  await db.query(
    `INSERT INTO usage_hours (organization_id, widget_id, bucket, issued, verified)
     SELECT $1, w, h, 20 + (hashtext(w::text || h::text) & 63), 0
       FROM unnest($2::uuid[]) w, generate_series(date_trunc('hour', now() - interval '30 days'), date_trunc('hour', now()), interval '1 hour') h`,
    [orgId, ids],
  );
  await db.query(
    `INSERT INTO usage_days (organization_id, widget_id, bucket, issued, verified)
     SELECT organization_id, widget_id, date_trunc('day', bucket, 'UTC'), sum(issued), sum(verified) FROM usage_hours WHERE organization_id = $1 GROUP BY 1, 2, 3
     ON CONFLICT (widget_id, bucket) DO UPDATE SET issued = EXCLUDED.issued, verified = EXCLUDED.verified`, // the server's rollup may have been first
    [orgId],
  );
  await db.query(
    `INSERT INTO usage_tenant_days (organization_id, tenant_id, bucket, issued, verified)
     SELECT u.organization_id, w.tenant_id, u.bucket, sum(u.issued), sum(u.verified) FROM usage_days u JOIN widgets w ON w.id = u.widget_id
      WHERE u.organization_id = $1 GROUP BY 1, 2, 3
     ON CONFLICT (tenant_id, bucket) DO UPDATE SET issued = EXCLUDED.issued, verified = EXCLUDED.verified`,
    [orgId],
  );
  const keyOfTenant = new Map(keys.map((k) => [k.tenantId, k.id]));
  await db.query(
    `INSERT INTO usage_minutes (organization_id, api_key_id, widget_id, minute, issued, verified)
     SELECT $1, k, w, m, 1 + (hashtext(w::text || m::text) & 3), 0
       FROM unnest($2::uuid[], $3::uuid[]) x(w, k), generate_series(date_trunc('minute', now() - interval '2 hours'), date_trunc('minute', now()), interval '1 minute') m`,
    [orgId, ids, widgets.map((w) => keyOfTenant.get(w.tenantId))],
  );
}

function cursor(key) {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** autocannon's run of `paths()` over `USERS` connections for `seconds`: latencies, req/s, answers other than `expect`. */
async function load(keyring, sessions, paths, expect, seconds) {
  const latencies = [];
  let unexpected = 0;
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: keyring.base,
        connections: USERS,
        duration: seconds,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths(), headers: { ...request.headers, ...pick(sessions) } }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      if (status !== expect) unexpected += 1;
    });
  });
  return { ...summarize(latencies), rps: result.requests.average, unexpected };
}

/**
 * `USERS` console users for `seconds`, each on its own: a request to `paths()`, then reading for 0.5–1.5 s (a
 * request about every second), starting at random moments in the first second, as people do rather than in step.
 */
async function users(keyring, sessions, paths, expect, seconds) {
  const latencies = [];
  let unexpected = 0;
  const until = performance.now() + seconds * 1000;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  await Promise.all(
    Array.from({ length: USERS }, async () => {
      await sleep(Math.random() * 1000);
      while (performance.now() < until) {
        const started = performance.now();
        const response = await fetch(`${keyring.base}${paths()}`, { headers: pick(sessions) });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status !== expect) unexpected += 1;
        await sleep(500 + Math.random() * 1000);
      }
    }),
  );
  return { ...summarize(latencies), unexpected };
}

/**
 * One endpoint three ways: one user alone (20 requests one at a time); `USERS` console users at once (see users())
 * for `SECONDS` — the target; and the capacity, `USERS` connections with no pause at all (every one always waiting
 * for an answer), whose p95 is the queue of a saturated 2-core machine rather than the endpoint's cost.
 */
async function time(keyring, sessions, label, paths, expect = 200) {
  const alone = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const response = await fetch(`${keyring.base}${paths()}`, { headers: sessions[0] });
    await response.arrayBuffer();
    if (response.status !== expect) throw new Error(`${label}: ${response.status}, expected ${expect}`);
    alone.push(performance.now() - started);
  }
  const people = await users(keyring, sessions, paths, expect, SECONDS);
  const capacity = await load(keyring, sessions, paths, expect, CAPACITY_SECONDS);
  return { label, alone: summarize(alone).p50, ...people, capacity, unexpected: people.unexpected + capacity.unexpected, expect };
}

async function consoleEndpoints(keyring, { orgId, sessions, tenantIds, hotWidgets, widgetCursors }) {
  const org = `/api/v1/orgs/${orgId}`;
  const day = 86_400_000;
  const now = Date.now();
  const startOfDay = (ms) => new Date(Math.floor(ms / day) * day).toISOString();
  const usage = `${org}/usage?granularity=day&from=${startOfDay(now - 29 * day)}&to=${new Date(now + 60_000).toISOString()}`;
  // Events are a second apart, the newest now: windows of an hour anywhere in the seeded span.
  const window = () => {
    const to = now - Math.random() * Math.min(EVENTS * 1000 - 3_600_000, 10 * day);
    return `from=${new Date(to - 3_600_000).toISOString()}&to=${new Date(to).toISOString()}`;
  };
  const t = (label, paths, expect) => time(keyring, sessions, label, paths, expect);
  const results = [
    await t('GET /healthz (baseline)', () => '/healthz'),
    await t('widgets, first page', () => `${org}/widgets?limit=50`),
    await t('widgets, deep page (cursor)', () => `${org}/widgets?limit=50&cursor=${pick(widgetCursors)}`),
    await t('widgets of a tenant', () => `${org}/widgets?limit=50&tenantId=${pick(tenantIds)}`),
    await t('search, 1 character', () => `${org}/widgets?limit=50&q=${pick('abcdefghij')}`, 400),
    await t('search, 2 characters', () => `${org}/widgets?limit=50&q=${pick(WORDS).slice(0, 2)}`, 400),
    await t('search, 3 characters (md5)', () => `${org}/widgets?limit=50&q=${md5(Math.floor(Math.random() * WIDGETS)).slice(0, 3)}`),
    await t('search, rare (6 of an md5)', () => `${org}/widgets?limit=50&q=${md5(Math.floor(Math.random() * WIDGETS)).slice(3, 9)}`),
    await t('search, common word', () => `${org}/widgets?limit=50&q=${pick(WORDS)}`),
    await t('tenants, search', () => `${org}/tenants?limit=50&q=${pick(WORDS)}`),
    await t('needs attention', () => `${org}/widgets/needs-attention?limit=10`),
    await t('overview', () => `${org}/overview`),
    await t('usage, 30 days, organization', () => usage),
    await t('usage, 30 days, one widget', () => `${usage}&widgetId=${pick(hotWidgets).id}`),
    await t('audit, newest page', () => `${org}/audit-events?limit=50`),
    await t('audit, by action', () => `${org}/audit-events?limit=50&action=${pick(['secret.rotated', 'widget.updated', 'tenant.created'])}`),
    await t('audit, by actor', () => `${org}/audit-events?limit=50&actorId=actor-${Math.floor(Math.random() * 50)}`),
    await t('audit, by tenant', () => `${org}/audit-events?limit=50&tenantId=${pick(tenantIds.slice(0, 100))}`),
    await t('audit, by outcome', () => `${org}/audit-events?limit=50&outcome=${pick(['failure', 'denied'])}`),
    await t('audit, time window (1 h)', () => `${org}/audit-events?limit=50&${window()}`),
    await t('audit, time window + action', () => `${org}/audit-events?limit=50&action=secret.rotated&${window()}`),
    await t('audit, deep page (cursor)', () => `${org}/audit-events?limit=50&cursor=${cursor([1 + Math.floor(Math.random() * EVENTS)])}`),
    await t('audit, verify (incremental)', () => `${org}/audit-events/verify`),
  ];
  const figure = (ms) => ms.toFixed(1).padStart(7);
  console.log(`\n${USERS} console users at once, each a request about every second, ${SECONDS} s per endpoint; 1 user: p50 of 20 requests alone;`);
  console.log(`capacity: the same ${USERS} connections with no pause for ${CAPACITY_SECONDS} s (req/s, and the p95 of that queue)`);
  console.log(
    `${'endpoint'.padEnd(32)} ${'1 user'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'cap/s'.padStart(6)} ${'cap p95'.padStart(7)}  target p95 < ${TARGET_P95_MS} ms`,
  );
  for (const r of results) {
    const verdict = r.unexpected > 0 ? `FAILED: ${r.unexpected} answers not ${r.expect}` : r.label.includes('baseline') ? 'baseline' : r.p95 < TARGET_P95_MS ? 'ok' : 'OVER';
    const note = r.expect === 400 ? '  refused (400) by design' : '';
    console.log(
      `${r.label.padEnd(32)} ${figure(r.alone)} ${figure(r.p50)} ${figure(r.p95)} ${figure(r.p99)} ${Math.round(r.capacity.rps).toString().padStart(6)} ${figure(r.capacity.p95)}  ${verdict}${note}`,
    );
  }
}

/** The whole NDJSON export in one request, read to the end (one user, nothing else running). */
async function exportAll(keyring, { orgId, sessions }) {
  const started = performance.now();
  const response = await fetch(`${keyring.base}/api/v1/orgs/${orgId}/audit-events/export?format=ndjson`, { headers: sessions[0] });
  if (!response.ok) throw new Error(`export: ${response.status}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nexport, NDJSON, every event: ${lines} events, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s: ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`);
}

/**
 * Tenant API load with `choose()` giving each request's widget and key, a new visitor per request, for `seconds`:
 * requests answered in each second, and their latencies by second.
 */
async function userHashLoad(keyring, choose, seconds) {
  const perSecond = Array.from({ length: seconds }, () => ({ count: 0, latencies: [] }));
  let visitor = 0;
  let failed = 0;
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: keyring.base,
        connections: 50,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const { widgetId, key } = choose();
              visitor += 1;
              return {
                ...request,
                path: `/api/v1/widgets/${widgetId}/user-hash`,
                headers: { ...request.headers, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
                body: JSON.stringify({ userIdentifier: `visitor-${visitor}@client.example` }),
              };
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status !== 200) failed += 1;
      const second = perSecond[Math.floor((performance.now() - started) / 1000)];
      if (second) {
        second.count += 1;
        second.latencies.push(ms);
      }
    });
  });
  if (failed > 0) throw new Error(`tenant API: ${failed} answers not 200`);
  return perSecond;
}

async function tenantApi(keyring, { hotKeys, hotWidgets }) {
  const keysOf = new Map();
  for (const k of hotKeys) keysOf.set(k.tenantId, [...(keysOf.get(k.tenantId) ?? []), k.key]);
  const spread = () => {
    const widget = pick(hotWidgets);
    return { widgetId: widget.id, key: pick(keysOf.get(widget.tenantId)) };
  };
  const hot = { widgetId: hotWidgets[0].id, key: keysOf.get(hotWidgets[0].tenantId)[0] };
  const rate = (seconds) => seconds.reduce((sum, s) => sum + s.count, 0) / seconds.length;

  const restartStarted = performance.now();
  await keyring.restart();
  const readyAfter = (performance.now() - restartStarted) / 1000;
  const cold = await userHashLoad(keyring, spread, COLD_SECONDS);
  const warm = rate(cold.slice(WARM_FROM_SECOND));
  const firstTen = cold.slice(0, 10);
  const p99First = summarize(firstTen.flatMap((s) => s.latencies)).p99;
  const halfWarmAt = cold.findIndex((s) => s.count >= warm / 2) + 1;
  console.log(`\ntenant API after a restart (ready in ${readyAfter.toFixed(1)} s), 50 connections, random pairs of ${hotWidgets.length} widgets and ${hotKeys.length} keys, a new visitor each:`);
  console.log(`  req/s in seconds 1–10: ${firstTen.map((s) => s.count).join(', ')}; p99 in those 10 s: ${p99First.toFixed(1)} ms`);
  console.log(`  warm (seconds ${WARM_FROM_SECOND + 1}–${COLD_SECONDS}): ${Math.round(warm)} req/s; 50 % of warm reached in second ${halfWarmAt}  (target <= 2) ${halfWarmAt > 0 && halfWarmAt <= 2 ? 'ok' : 'OVER'}`);

  // Spread and hot, alternated so that neither gets the quieter half of the machine's time.
  const rounds = { spread: [], hot: [] };
  for (let round = 0; round < 2; round++) {
    rounds.spread.push(rate(await userHashLoad(keyring, spread, 10)));
    rounds.hot.push(rate(await userHashLoad(keyring, () => hot, 10)));
  }
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  const ratio = mean(rounds.spread) / mean(rounds.hot);
  console.log(
    `  warm spread ${Math.round(mean(rounds.spread))} req/s vs one hot widget ${Math.round(mean(rounds.hot))} req/s: ${(ratio * 100).toFixed(0)} %  (target >= 90 %) ${ratio >= 0.9 ? 'ok' : 'UNDER'}`,
  );
}
