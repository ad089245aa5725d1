#!/usr/bin/env node
// Tenant API benchmark: the same load (autocannon, 50 connections, loopback) against
//   (a) a bare node:http server doing the hot path in memory with node:crypto — the physical limit,
//   (b) a plain NestJS + Express app with jose and one pg query per request — what a tenant would write,
//   (c) Keyring's production build with a real database, API key and encrypted secret,
// alternating a, b, c for BENCH_ROUNDS rounds. Prints req/s, p50, p99 and the ratios c/a and c/b.
// Targets: c/a >= 0.6, c/b >= 3, p99 <= 15 ms. Usage: npm run build && node tools/bench/user-hash.mjs
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { freePort, prepare, root, startKeyring } from '../lib/keyring-server.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARM_UP_SECONDS = 3;
const here = new URL('.', import.meta.url).pathname;
const SECRET = 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b';

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));

// (c) Keyring, production build, own embedded PostgreSQL.
const keyring = await startKeyring('bench-user-hash', {
  KEYRING_RATE_LIMIT_PER_MINUTE: '1000000000',
  ...(process.env.BENCH_LOG_LEVEL && { LOG_LEVEL: process.env.BENCH_LOG_LEVEL }),
});
const base = keyring.base;
const { widgetId, apiKey: API_KEY } = await prepare(keyring, SECRET);
const DATABASE_URL = keyring.databaseUrl;

async function startChild(script, env) {
  const port = await freePort();
  const child = fork(join(here, 'servers', script), [], { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return `http://127.0.0.1:${port}`;
}
const bare = await startChild('bare-http.mjs', { API_KEY, SECRET });
const nest = await startChild('plain-nest.mjs', { DATABASE_URL, SECRET });

const targets = [
  { name: '(a) bare node:http + HMAC', url: `${bare}/user-hash` },
  { name: '(b) NestJS + jose + pg per request', url: `${nest}/user-hash` },
  { name: '(c) Keyring', url: `${base}/api/v1/widgets/${widgetId}/user-hash` },
];

// Every server must answer the same token before anything is timed.
const expected = (await (await fetch(targets[0].url, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: '{"userIdentifier":"user1@company.com"}' })).json()).userHash;
for (const target of targets) {
  const response = await fetch(target.url, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: '{"userIdentifier":"user1@company.com"}' });
  const { userHash } = await response.json();
  if (userHash !== expected) throw new Error(`${target.name} answered ${response.status} ${userHash}`);
}

const load = (target, duration) =>
  autocannon({
    url: target.url,
    method: 'POST',
    connections: 50,
    duration,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userIdentifier: 'user1@company.com' }),
  });

// A short unrecorded run each, so that every server is measured with its code already optimized by the JIT.
for (const target of targets) await load(target, WARM_UP_SECONDS);

const results = new Map(targets.map((t) => [t.name, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const target of targets) {
    const result = await load(target, SECONDS);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    results.get(target.name).push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
    console.log(`round ${round} ${target.name}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  }
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const summary = Object.fromEntries([...results].map(([name, runs]) => [name, { rps: mean(runs.map((r) => r.rps)), p50: mean(runs.map((r) => r.p50)), p99: Math.max(...runs.map((r) => r.p99)) }]));
console.log(`\n${'server'.padEnd(38)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`);
for (const [name, s] of Object.entries(summary)) console.log(`${name.padEnd(38)} ${Math.round(s.rps).toString().padStart(8)} ${s.p50.toFixed(1).padStart(7)} ${s.p99.toFixed(1).padStart(7)}`);
const [a, b, c] = targets.map((t) => summary[t.name]);
console.log(`\nc/a = ${(c.rps / a.rps).toFixed(2)} (target >= 0.6)   c/b = ${(c.rps / b.rps).toFixed(2)} (target >= 3)   c p99 = ${c.p99} ms (target <= 15)`);

for (const child of children) child.kill('SIGTERM');
await keyring.stop();
process.exit(0);
