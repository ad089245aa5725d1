#!/usr/bin/env node
// Bulk import benchmark (#15): 10,000 rows (100 tenants × 100 widgets, each with its current secret) through
// POST /orgs/:orgId/imports of Keyring's production build on its own embedded PostgreSQL: the dry run, the import
// (target < 60 s), and the same file again (every row unchanged). Baseline measured in the same run: the bare JWE
// encryption of the same 10,000 secrets in this process (the crypto floor of the import), 500 at a time as the
// import does. Usage: npm run build && node tools/bench/import.mjs   (BENCH_IMPORT_ROWS to change the size)
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CompactEncrypt } from 'jose';
import { startKeyring } from '../lib/keyring-server.mjs';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const TARGET_SECONDS = 60;
const keyring = await startKeyring('bench-import', { LOG_LEVEL: 'warn' });
process.on('uncaughtException', async (error) => {
  console.error(error);
  await keyring.stop();
  process.exit(1);
});
const call = async (method, path, { body, json, headers = {} } = {}) => {
  const response = await fetch(`${keyring.base}${path}`, {
    method,
    headers: { ...(json !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: json !== undefined ? JSON.stringify(json) : body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
  return { response, body: text ? JSON.parse(text) : null };
};

const owner = { email: 'bench@agency.example', password: 'bench-password-harbor-42' };
const { body: setup } = await call('POST', '/api/v1/setup', { json: { setupToken: keyring.setupToken, ...owner, organizationName: 'Bench Agency' } });
const { response: login, body: me } = await call('POST', '/api/v1/auth/login', { json: owner });
const session = { cookie: login.headers.get('set-cookie').split(';')[0], 'x-csrf-token': me.csrfToken };
const orgId = setup.organization.id;

const secrets = Array.from({ length: ROWS }, () => randomBytes(16).toString('hex'));
const lines = secrets.map((secret, i) => `Cliente ${Math.floor(i / 100) + 1},Site ${(i % 100) + 1},${randomUUID()},${1000 + Math.floor(i / 100)},${secret}`);
const csv = ['tenant,widget,huggyWidgetUuid,huggyCompanyId,secret', ...lines].join('\r\n');
console.log(`Importing ${ROWS} rows (${(csv.length / 1024 / 1024).toFixed(1)} MB of CSV) into ${Math.ceil(ROWS / 100)} new tenants…`);

async function timed(query) {
  const started = performance.now();
  const { body } = await call('POST', `/api/v1/orgs/${orgId}/imports${query}`, { body: csv, headers: { ...session, 'content-type': 'text/csv' } });
  return { seconds: (performance.now() - started) / 1000, report: body };
}
const dryRun = await timed('?dryRun=true');
const applied = await timed('');
const again = await timed('');
const check = (label, report, expected) => {
  const wrong = Object.entries(expected).filter(([key, value]) => report.counts[key] !== value);
  if (wrong.length > 0) throw new Error(`${label}: counts ${JSON.stringify(report.counts)}, expected ${JSON.stringify(expected)}`);
};
check('dry run', dryRun.report, { rows: ROWS, invalidRows: 0, widgetsCreated: ROWS, secretsImported: ROWS });
check('import', applied.report, { rows: ROWS, invalidRows: 0, widgetsCreated: ROWS, secretsImported: ROWS, tenantsCreated: Math.ceil(ROWS / 100) });
check('again', again.report, { rows: ROWS, unchanged: ROWS, widgetsCreated: 0, secretsImported: 0 });
const { body: widgets } = await call('GET', `/api/v1/orgs/${orgId}/widgets?status=no-secret&limit=1`, { headers: session });
const { body: verify } = await call('GET', `/api/v1/orgs/${orgId}/audit-events/verify`, { headers: session });

// Baseline: the encryption the import does, alone, in this process.
const masterKey = randomBytes(32);
const encoder = new TextEncoder();
let started = performance.now();
for (let offset = 0; offset < ROWS; offset += 500) {
  await Promise.all(
    secrets.slice(offset, offset + 500).map((secret, i) =>
      new CompactEncrypt(encoder.encode(secret))
        .setProtectedHeader({ purpose: 'widget-secret', organizationId: orgId, widgetId: randomUUID(), version: 1, alg: 'A256GCMKW', enc: 'A256GCM', kid: 'bench' })
        .encrypt(masterKey)
        .then(() => offset + i),
    ),
  );
}
const cryptoFloor = (performance.now() - started) / 1000;
await keyring.stop();

console.log(`\nimport of ${ROWS} rows (apply, one transaction): ${applied.seconds.toFixed(1)} s  (target < ${TARGET_SECONDS} s) ${applied.seconds < TARGET_SECONDS ? 'ok' : 'OVER'}`);
console.log(`dry run of the same file: ${dryRun.seconds.toFixed(1)} s; the same file again (every row unchanged, nothing written): ${again.seconds.toFixed(1)} s`);
console.log(`crypto floor in-process (JWE encryption of ${ROWS} secrets, no database): ${cryptoFloor.toFixed(2)} s  ratio ${(applied.seconds / cryptoFloor).toFixed(1)}`);
console.log(`widgets without a secret afterwards: ${widgets.total}; audit chain valid: ${verify.valid} (${verify.checkedEvents} events checked, ${verify.pendingEvents ?? 0} left to the background verification)`);
