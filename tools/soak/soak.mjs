#!/usr/bin/env node
// Soak: SOAK_SECONDS (60) of mixed traffic against the production build on its own embedded PostgreSQL —
// tenants' backends asking for userHashes (autocannon, 20 connections) while console users list, search, read the
// audit log and rotate secrets. Fails on any error; prints the server's RSS and V8 heap at start and end.
// Usage: npm run build && node tools/soak/soak.mjs   (npm run soak does both)
import autocannon from 'autocannon';
import { prepare, startKeyring } from '../lib/keyring-server.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const keyring = await startKeyring('soak', { KEYRING_RATE_LIMIT_PER_MINUTE: '1000000000', LOG_LEVEL: 'warn' });
const { call, session, orgId, widgetId, apiKey } = await prepare(keyring, 'soak-widget-secret-0001');

/** Resident memory and V8 heap in use, in MiB, from the server's own metrics. */
const memory = async () => {
  const metrics = await (await fetch(keyring.metrics)).text();
  const mib = (name) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)[1]) / 1024 / 1024;
  return { rss: mib('keyring_process_resident_memory_bytes'), heap: mib('keyring_nodejs_heap_size_used_bytes') };
};
const atStart = await memory();
const deadline = Date.now() + SECONDS * 1000;
const errors = [];
let consoleCalls = 0;

async function consoleUser(id) {
  let version = 1;
  for (let i = 0; Date.now() < deadline; i++) {
    const steps = [
      ['GET', `/api/v1/orgs/${orgId}/widgets?q=site`],
      ['GET', `/api/v1/orgs/${orgId}/tenants`],
      ['GET', `/api/v1/orgs/${orgId}/audit-events?limit=50`],
      ['GET', `/api/v1/orgs/${orgId}/usage`],
      ['GET', `/api/v1/orgs/${orgId}/overview`],
      ['GET', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions`],
    ];
    for (const [method, path] of steps) {
      const response = await call(method, path, undefined, session);
      consoleCalls += 1;
      if (response.status !== 200) errors.push(`${method} ${path} → ${response.status}`);
    }
    // One user rotates now and then; a 409 means the other rotated first, as the console would show.
    if (id === 0 && i % 5 === 0) {
      const rotated = await call('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions`, { secret: `soak-secret-${i}-${'x'.repeat(16)}`, expectedActiveVersion: version }, session);
      consoleCalls += 1;
      if (rotated.status === 201) version = rotated.json.version;
      else errors.push(`rotation → ${rotated.status} ${rotated.json?.detail}`);
    }
  }
}

const [tenants] = await Promise.all([
  autocannon({
    url: `${keyring.base}/api/v1/widgets/${widgetId}/user-hash`,
    method: 'POST',
    connections: 20,
    duration: SECONDS,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userIdentifier: 'visitor@client.example' }),
  }),
  consoleUser(0),
  consoleUser(1),
]);
const atEnd = await memory();
const verify = await call('GET', `/api/v1/orgs/${orgId}/audit-events/verify`, undefined, session);
await keyring.stop();

console.log(`user-hash: ${tenants.requests.total} requests (${Math.round(tenants.requests.average)} req/s), ${tenants.non2xx} non-2xx, ${tenants.errors} errors, p99 ${tenants.latency.p99} ms`);
console.log(`console: ${consoleCalls} calls, ${errors.length} errors${errors.length ? `: ${errors.slice(0, 5).join('; ')}` : ''}`);
console.log(`audit chain after the run: ${verify.json.valid ? `holds (${verify.json.checkedEvents} events)` : 'BROKEN'}`);
console.log(`server memory: RSS ${atStart.rss.toFixed(0)} → ${atEnd.rss.toFixed(0)} MiB, V8 heap in use ${atStart.heap.toFixed(0)} → ${atEnd.heap.toFixed(0)} MiB`);
const failed = tenants.non2xx + tenants.errors + errors.length > 0 || !verify.json.valid;
process.exit(failed ? 1 : 0);
