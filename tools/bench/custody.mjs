#!/usr/bin/env node
// Custody benchmark (issue: list/search with 100k widgets and audit queries with 1M events, p95 < 50 ms;
// re-wrap of 100k versions < 60 s; with a valid keyed audit chain of 1M events: full and incremental verification
// times, the audit page (events + verify) p95 < 200 ms, and tenant-API throughput during a full verification
// >= 90 % of that without). Runs the production build of Keyring on an embedded PostgreSQL of its own,
// seeds it through SQL, and times the real HTTP endpoints and the real `keyring rewrap` command.
// Baselines measured in the same run: GET /healthz (the HTTP floor) and the bare JWE decrypt+encrypt of every
// version in this process (the crypto floor). Usage: npm run build && node tools/bench/custody.mjs
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { compactDecrypt } from 'jose';
import pg from 'pg';
import { seedAuditChain } from '../lib/audit-seed.mjs';
import { WORDS as words, encryptSecret, seedSecretVersions, seedTenantsAndWidgets } from '../lib/bench-seed.mjs';
import { freePort } from '../lib/keyring-server.mjs';
import { percentile } from '../lib/latency.mjs';

const WIDGETS = Number(process.env.BENCH_WIDGETS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(root, 'tmp', 'bench-custody-'));
spawnSync('chmod', ['755', dataDir]);
const oldKey = { id: 'bench-old', key: randomBytes(32) };
const newKey = { id: 'bench-new', key: randomBytes(32) };
const keysEnv = `${oldKey.id}:${oldKey.key.toString('base64')},${newKey.id}:${newKey.key.toString('base64')}`;
const setupToken = 'bench-setup-token-0123456789';
const port = await freePort();
const pgPort = await freePort();
const env = { ...process.env, PORT: String(port), KEYRING_DATA_DIR: dataDir, KEYRING_EMBEDDED_PG_PORT: String(pgPort), KEYRING_MASTER_KEYS: keysEnv, KEYRING_SETUP_TOKEN: setupToken, LOG_LEVEL: 'warn', NODE_ENV: 'production', KEYRING_RATE_LIMIT_PER_MINUTE: '1000000000' };

let running;
process.on('uncaughtException', async (error) => {
  console.error(error);
  running?.kill('SIGTERM');
  process.exitCode = 1;
});

async function startServer(activeKey) {
  const child = (running = spawn('node', ['dist/apps/api/main.js'], { cwd: root, env: { ...env, KEYRING_ACTIVE_MASTER_KEY: activeKey }, stdio: ['ignore', 'ignore', 'inherit'] }));
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function stopServer(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function time(label, path, headers, request = (url) => fetch(`http://127.0.0.1:${port}${url}`, { headers }).then((response) => [response])) {
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) {
    const url = typeof path === 'function' ? path(i) : path;
    const started = performance.now();
    for (const response of await request(url)) {
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${label}: ${response.status}`);
    }
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { label, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const server = await startServer(oldKey.id);
const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
const db = new pg.Client({ connectionString: `postgres://keyring:${encodeURIComponent(password)}@localhost:${pgPort}/keyring` });
await db.connect();

// Owner, organization and session through the API.
const post = (path, body, headers = {}) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const owner = { email: 'bench@agency.example', password: 'bench-password-harbor-42' };
const setup = await (await post('/api/v1/setup', { setupToken, ...owner, organizationName: 'Bench Agency' })).json();
const login = await post('/api/v1/auth/login', owner);
const session = { cookie: login.headers.get('set-cookie').split(';')[0], 'x-csrf-token': (await login.json()).csrfToken };
const orgId = setup.organization.id;

console.log(`Seeding ${WIDGETS} widgets in ${WIDGETS / 100} tenants and ${EVENTS} audit events…`);
let started = performance.now();
await seedTenantsAndWidgets(db, { orgId, widgets: WIDGETS });
await seedAuditChain(db, { orgId, count: EVENTS, masterKey: oldKey });
await db.query('ANALYZE');
console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

if (process.env.BENCH_EXPLAIN) {
  // The plan of the newest-page audit query, as the API sends it (parameters, not literals).
  const plan = await db.query(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT $2`,
    [orgId, 51],
  );
  console.log(plan.rows.map((row) => row['QUERY PLAN']).join('\n'));
}
const [{ id: someTenant }] = (await db.query('SELECT id FROM tenants WHERE organization_id = $1 OFFSET $2 LIMIT 1', [orgId, WIDGETS / 200])).rows;
const deepCursor = Buffer.from(JSON.stringify(['Loja 8', '00000000-0000-0000-0000-000000000000'])).toString('base64url');
const results = [
  await time('GET /healthz (baseline)', '/healthz', session),
  await time('widgets, first page', `/api/v1/orgs/${orgId}/widgets?limit=50`, session),
  await time('widgets, deep page (cursor)', `/api/v1/orgs/${orgId}/widgets?limit=50&cursor=${deepCursor}`, session),
  await time('widgets, search', (i) => `/api/v1/orgs/${orgId}/widgets?q=${md5Prefix(i)}&limit=50`, session),
  await time('widgets, search common word', (i) => `/api/v1/orgs/${orgId}/widgets?q=${words[i % 10]}&limit=50`, session),
  await time('widgets of a tenant', `/api/v1/orgs/${orgId}/widgets?tenantId=${someTenant}&limit=50`, session),
  await time('tenants, search', (i) => `/api/v1/orgs/${orgId}/tenants?q=${words[i % 10]}&limit=50`, session),
  await time('needs attention', `/api/v1/orgs/${orgId}/widgets/needs-attention?limit=50`, session),
  await time('audit, newest page', `/api/v1/orgs/${orgId}/audit-events?limit=50`, session),
  await time('audit, by action', `/api/v1/orgs/${orgId}/audit-events?action=secret.rotated&limit=50`, session),
  await time('audit, by actor', (i) => `/api/v1/orgs/${orgId}/audit-events?actorId=actor-${i % 50}&limit=50`, session),
  await time('audit, time window', `/api/v1/orgs/${orgId}/audit-events?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() - 43_200_000).toISOString()}&limit=50`, session),
  await time('audit, deep page (cursor)', `/api/v1/orgs/${orgId}/audit-events?limit=50&cursor=${Buffer.from(JSON.stringify([500000])).toString('base64url')}`, session),
];
function md5Prefix(i) {
  return spawnSync('sh', ['-c', `printf %s ${i * 37} | md5sum`]).stdout.toString().slice(0, 6);
}
const floor = results[0].p95;
console.log(`\n${'query'.padEnd(32)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p95/healthz'.padStart(12)}  target p95 < 50 ms`);
for (const r of results) {
  console.log(`${r.label.padEnd(32)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${(r.p95 / floor).toFixed(1).padStart(12)}  ${r.label.includes('baseline') ? '' : r.p95 < 50 ? 'ok' : 'OVER'}`);
}

// The audit chain at 1M events: the first verification after seeding is a full one (in the background).
const api = async (method, path, body) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json', ...session }, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
const tenantApi = await (async () => {
  const tenant = await api('POST', `/api/v1/orgs/${orgId}/tenants`, { name: 'Bench client' });
  const widget = await api('POST', `/api/v1/orgs/${orgId}/widgets`, { tenantId: tenant.id, name: 'Bench site', secret: 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b' });
  const key = await api('POST', `/api/v1/orgs/${orgId}/api-keys`, { name: 'Bench', tenantId: tenant.id, scopes: ['user-hash:issue'] });
  return { url: `http://127.0.0.1:${port}/api/v1/widgets/${widget.id}/user-hash`, key: key.key };
})();
const userHashLoad = (seconds) =>
  autocannon({
    url: tenantApi.url,
    method: 'POST',
    connections: 50,
    duration: seconds,
    headers: { authorization: `Bearer ${tenantApi.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userIdentifier: 'visitor@client.example' }),
  });
const verifyPath = `/api/v1/orgs/${orgId}/audit-events/verify`;
async function fullVerification() {
  const started = performance.now();
  await api('POST', `${verifyPath}/full`);
  for (;;) {
    const { fullVerification: full } = await api('GET', verifyPath);
    if (full.finishedAt) return { ...full, seconds: (performance.now() - started) / 1000 };
    await new Promise((r) => setTimeout(r, 500));
  }
}
// Throughput without a verification before and after it, and in three windows during it (the mean of each side):
// one window on a shared 2-core machine is at the mercy of whatever else runs in those seconds.
const loads = async (n) => {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await userHashLoad(LOAD_SECONDS));
  return runs;
};
const mean = (runs, pick) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
await userHashLoad(3); // warm-up
const before = await loads(1);
const [full, during] = await Promise.all([fullVerification(), new Promise((r) => setTimeout(r, 1000)).then(() => loads(3))]);
if (!full.valid) throw new Error(`the seeded chain does not verify: ${full.reason}`);
const withoutRuns = [...before, ...(await loads(1))];
const withoutVerification = { requests: { average: mean(withoutRuns, (run) => run.requests.average) }, non2xx: mean(withoutRuns, (run) => run.non2xx) };
const duringVerification = { requests: { average: mean(during, (run) => run.requests.average) }, non2xx: mean(during, (run) => run.non2xx) };
started = performance.now();
const cli = spawnSync('node', ['dist/apps/api/cli.js', 'audit-verify'], { cwd: root, env: { ...env, KEYRING_ACTIVE_MASTER_KEY: oldKey.id, DATABASE_URL: `postgres://keyring:${encodeURIComponent(password)}@localhost:${pgPort}/keyring` }, encoding: 'utf8' });
const cliSeconds = (performance.now() - started) / 1000;
if (cli.status !== 0) throw new Error(`audit-verify failed: ${cli.stdout} ${cli.stderr}`);
const incrementalNothingNew = await time('verify, nothing new', verifyPath, session);
await seedAuditChain(db, { orgId, count: 1000, masterKey: oldKey, spreadSeconds: 1 });
started = performance.now();
const afterThousand = await api('GET', verifyPath);
const incrementalThousand = performance.now() - started;
const auditPage = await time('audit page (events + verify)', null, session, () =>
  Promise.all([fetch(`http://127.0.0.1:${port}/api/v1/orgs/${orgId}/audit-events?limit=50`, { headers: session }), fetch(`http://127.0.0.1:${port}${verifyPath}`, { headers: session })]),
);
const ratio = duringVerification.requests.average / withoutVerification.requests.average;
console.log(`
audit chain of ${full.checkedEvents} events`);
console.log(`full verification in the background (paced): ${full.seconds.toFixed(1)} s; audit-verify CLI (unpaced, includes start-up): ${cliSeconds.toFixed(1)} s`);
console.log(`incremental verify, nothing new: p50 ${incrementalNothingNew.p50.toFixed(1)} ms, p95 ${incrementalNothingNew.p95.toFixed(1)} ms; 1000 new events: ${incrementalThousand.toFixed(1)} ms (${afterThousand.valid ? 'valid' : 'BROKEN'}, ${afterThousand.checkedEvents} events)`);
console.log(`audit page (events + verify, in parallel): p50 ${auditPage.p50.toFixed(1)} ms, p95 ${auditPage.p95.toFixed(1)} ms  (target p95 < 200 ms) ${auditPage.p95 < 200 ? 'ok' : 'OVER'}`);
console.log(`tenant API (mean of ${LOAD_SECONDS}-s windows, 2 without, 3 during): ${Math.round(withoutVerification.requests.average)} req/s without, ${Math.round(duringVerification.requests.average)} req/s during a full verification: ${(ratio * 100).toFixed(0)} %  (target >= 90 %) ${ratio >= 0.9 ? 'ok' : 'UNDER'}; non-2xx ${withoutVerification.non2xx} / ${duringVerification.non2xx}`);

// Re-wrap: every widget gets a version under the old key; the server then restarts with the new key active.
console.log(`\nEncrypting ${WIDGETS} secret versions under the old key…`);
// (The tenant-API widget above has its version already.)
const widgetIds = await seedSecretVersions(db, { orgId, masterKey: oldKey, secretOf: (i) => `bench-secret-${i}` });
const sample = (await db.query('SELECT widget_id, ciphertext FROM secret_versions WHERE widget_id = $1', [widgetIds[0]])).rows[0];

// Baseline: the same crypto work in this process, no database.
started = performance.now();
const rows = (await db.query('SELECT widget_id, ciphertext FROM secret_versions')).rows;
for (let offset = 0; offset < rows.length; offset += 500) {
  // Same concurrency as the command: a batch of 500 at a time.
  await Promise.all(
    rows.slice(offset, offset + 500).map(async (row) => {
      const { plaintext } = await compactDecrypt(row.ciphertext, oldKey.key);
      await encryptSecret(newKey, { organizationId: orgId, widgetId: row.widget_id, version: 1 }, new TextDecoder().decode(plaintext));
    }),
  );
}
const cryptoFloor = (performance.now() - started) / 1000;
await db.end();
await stopServer(server);

started = performance.now();
const rewrap = spawnSync('node', ['dist/apps/api/cli.js', 'rewrap'], { cwd: root, env: { ...env, KEYRING_ACTIVE_MASTER_KEY: newKey.id }, encoding: 'utf8' });
const rewrapSeconds = (performance.now() - started) / 1000;
if (rewrap.status !== 0) throw new Error(`rewrap failed: ${rewrap.stderr}`);
const check = new pg.Client({ connectionString: `postgres://keyring:${encodeURIComponent(password)}@localhost:${pgPort}/keyring` });
const after = await startServer(newKey.id);
await check.connect();
const { rows: byKey } = await check.query('SELECT master_key_id, count(*)::int AS n FROM secret_versions GROUP BY 1');
const { rows: [moved] } = await check.query('SELECT ciphertext FROM secret_versions WHERE widget_id = $1', [sample.widget_id]);
const reopened = new TextDecoder().decode((await compactDecrypt(moved.ciphertext, newKey.key)).plaintext);
await check.end();
await stopServer(after);
console.log(`\nre-wrap of ${WIDGETS} versions (keyring rewrap, including start-up): ${rewrapSeconds.toFixed(1)} s  (target < 60 s)`);
console.log(`crypto floor in-process (decrypt + encrypt, no database): ${cryptoFloor.toFixed(1)} s  ratio ${(rewrapSeconds / cryptoFloor).toFixed(2)}`);
console.log(`versions by master key afterwards: ${JSON.stringify(byKey)}; a sample reopens under the new key: ${reopened.startsWith('bench-secret-')}`);
rmSync(dataDir, { recursive: true, force: true });
